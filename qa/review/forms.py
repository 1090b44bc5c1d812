"""Forms of the call review page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class OverrideForm(FlaskForm):
    """Change one item's result; carries the version of the scorecard the reviewer saw."""

    scorecard_id = IntegerField(validators=[InputRequired()])
    item_key = StringField(validators=[DataRequired(), Length(max=80)])
    lock_version = IntegerField(validators=[InputRequired()])
    scored_at = HiddenField(validators=[Optional(), Length(max=40)])
    seen_result = HiddenField(validators=[DataRequired()])
    seen_points = FloatField(validators=[InputRequired()])
    result = SelectField(
        _l("Result"),
        choices=[
            ("pass", _l("pass")),
            ("fail", _l("fail")),
            ("na", _l("N/A")),
            ("scale", _l("scale")),
        ],
    )
    points = FloatField(_l("Points"), validators=[Optional(), NumberRange(min=0)])
    reason = TextAreaField(
        _l("Reason"),
        filters=[_strip],
        validators=[DataRequired(_l("A reason is required.")), Length(max=2000)],
    )


class SwapRolesForm(FlaskForm):
    """Swap agent and customer on the transcript and score the call again."""

    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=2000)])


class ReviewedForm(FlaskForm):
    """Mark the call reviewed, with optional notes for the agent."""

    notes = TextAreaField(_l("Notes"), filters=[_strip], validators=[Length(max=4000)])
