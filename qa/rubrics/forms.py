"""Forms of the rubric pages: a new draft, a back-test run and publishing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

MAX_DOCUMENT = 200_000
MAX_BACKTEST_CALLS = 2000


class DraftForm(FlaskForm):
    """A rubric YAML document (typed or uploaded) and a note about the change."""

    document = TextAreaField(_l("Rubric YAML"), validators=[Length(max=MAX_DOCUMENT)])
    upload = FileField(_l("Or upload a .yaml file"))
    note = StringField(_l("What changed (note)"), validators=[Optional(), Length(max=500)])

    def read_upload(self) -> str | None:
        """Return the uploaded file's text (it replaces the textarea), or None without one.

        A file that is not UTF-8 text adds an error to the upload field and returns None.
        """
        upload = self.upload.data
        if not upload or not getattr(upload, "filename", ""):
            return None
        raw = upload.read(MAX_DOCUMENT + 1)
        if len(raw) > MAX_DOCUMENT:
            self.upload.errors = [_l("The file is too large for a rubric.")]
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.upload.errors = [_l("The file is not UTF-8 text.")]
            return None


class BacktestForm(FlaskForm):
    """How many recent calls to re-score with the draft."""

    limit = IntegerField(
        _l("Most recent calls to re-score"),
        default=500,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_BACKTEST_CALLS)],
    )


class PublishForm(FlaskForm):
    """Confirm publishing a version."""

    confirm = BooleanField(
        _l("I understand: new calls are scored with this version; the current one is retired."),
        validators=[DataRequired()],
    )
