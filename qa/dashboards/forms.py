"""The KPI import form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class KpiImportForm(FlaskForm):
    """Upload a CSV of KPI values per call."""

    file = FileField(_l("CSV file"), validators=[FileRequired()])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=80)])
