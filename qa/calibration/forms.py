"""Forms of calibration sessions (answers are read from the request by item)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SessionForm(FlaskForm):
    """Create a session: rubric version, calls and raters."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    rubric_version_id = SelectField(_l("Rubric version"), coerce=int, choices=[])
    call_ids = SelectMultipleField(_l("Calls"), coerce=int, choices=[], validators=[DataRequired()])
    rater_ids = SelectMultipleField(
        _l("Raters"), coerce=int, choices=[], validators=[DataRequired()]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])


class AnswersForm(FlaskForm):
    """Carries the CSRF token of the answer grids (fields are named ``a-<call>-<item>``)."""


def parse_answers(form: dict[str, str], prefix: str) -> dict[tuple[int, str], str]:
    """Return the non-empty answers ``<prefix>-<call id>-<item key>`` of a submitted form."""
    answers: dict[tuple[int, str], str] = {}
    for name, value in form.items():
        parts = name.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit() and value:
            answers[(int(parts[1]), parts[2])] = value
    return answers
