"""Forms to open and resolve a dispute."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from qa.disputes.services import MAX_COMMENT


class DisputeForm(FlaskForm):
    """An agent disputes one item result of their call."""

    item_id = SelectField(_l("Item"), coerce=int, choices=[])
    comment = TextAreaField(
        _l("Why is this result wrong?"), validators=[DataRequired(), Length(max=MAX_COMMENT)]
    )


class AcceptForm(FlaskForm):
    """Accept a dispute, optionally correcting the item's result."""

    corrected = SelectField(_l("Corrected result"), choices=[], validate_choice=True)
    points = FloatField(_l("Points (scaled items)"), validators=[Optional()])
    reason = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_COMMENT)])


class RejectForm(FlaskForm):
    """Reject a dispute with a reason."""

    reason = TextAreaField(
        _l("Reason for rejecting"), validators=[DataRequired(), Length(max=MAX_COMMENT)]
    )
