"""The upload form: a recording and its metadata."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import Length, Optional


class UploadForm(FlaskForm):
    """Upload one call recording with what is known about it."""

    audio = FileField("Recording", validators=[FileRequired()])
    agent_code = SelectField("Agent", choices=[], validate_choice=False)
    queue = StringField("Queue / skill", validators=[Optional(), Length(max=80)])
    language = SelectField(
        "Language",
        choices=[("", "detect"), ("en", "English"), ("zh", "Chinese")],
        validate_choice=False,
    )
    direction = SelectField(
        "Direction",
        choices=[("", "unknown"), ("inbound", "inbound"), ("outbound", "outbound")],
        validate_choice=False,
    )
    agent_channel = SelectField(
        "Agent channel (stereo)",
        choices=[("", "detect / mono"), ("0", "left (0)"), ("1", "right (1)")],
        validate_choice=False,
    )
    customer_ref = StringField("Customer reference", validators=[Optional(), Length(max=120)])
    started_at = DateTimeLocalField(
        "Call started", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
