"""The upload form: a recording and its metadata."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import Length, Optional


class UploadForm(FlaskForm):
    """Upload one call recording with what is known about it."""

    audio = FileField(_l("Recording"), validators=[FileRequired()])
    agent_code = SelectField(_l("Agent"), choices=[], validate_choice=False)
    queue = StringField(_l("Queue / skill"), validators=[Optional(), Length(max=80)])
    language = SelectField(
        _l("Language"),
        choices=[("", _l("detect")), ("en", _l("English")), ("zh", _l("Chinese"))],
        validate_choice=False,
    )
    direction = SelectField(
        _l("Direction"),
        choices=[("", _l("unknown")), ("inbound", _l("inbound")), ("outbound", _l("outbound"))],
        validate_choice=False,
    )
    agent_channel = SelectField(
        _l("Agent channel (stereo)"),
        choices=[("", _l("detect / mono")), ("0", _l("left (0)")), ("1", _l("right (1)"))],
        validate_choice=False,
    )
    customer_ref = StringField(_l("Customer reference"), validators=[Optional(), Length(max=120)])
    started_at = DateTimeLocalField(
        _l("Call started"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
