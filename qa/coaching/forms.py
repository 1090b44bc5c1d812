"""Forms to write and acknowledge coaching notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from qa.coaching.services import MAX_BODY


class NoteForm(FlaskForm):
    """A coaching note for an agent, optionally about a call."""

    agent_id = SelectField(_l("Agent"), coerce=int, choices=[])
    call_id = HiddenField()
    body = TextAreaField(_l("Coaching note"), validators=[DataRequired(), Length(max=MAX_BODY)])


class AcknowledgeForm(FlaskForm):
    """The agent acknowledges a note, optionally replying."""

    reply = TextAreaField(_l("Reply (optional)"), validators=[Optional(), Length(max=MAX_BODY)])
