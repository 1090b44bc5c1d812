"""Forms of the API tokens and webhooks pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import URL, DataRequired, Length, Optional

from qa.api.models import WEBHOOK_EVENTS


class TokenForm(FlaskForm):
    """Create an API token with some of the scopes the user's role allows."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=120)])
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


class WebhookForm(FlaskForm):
    """Subscribe a URL to an event."""

    url = StringField(
        _l("URL"), validators=[DataRequired(), URL(require_tld=False), Length(max=500)]
    )
    event = SelectField(_l("Event"), choices=[SelectChoice(e) for e in WEBHOOK_EVENTS])
    secret = StringField(
        _l("Secret (leave empty to generate one)"), validators=[Optional(), Length(min=16, max=128)]
    )
