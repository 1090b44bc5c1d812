"""Forms to create and edit users and teams."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from qa.auth.models import ROLES


class UserForm(FlaskForm):
    """Create a user."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Email(check_deliverability=False)])
    role = SelectField(_l("Role"), choices=[(r, r) for r in ROLES])
    team = SelectField(_l("Team"), choices=[], validate_choice=False)
    agent_code = StringField(_l("Agent code"), validators=[Optional(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8)])


class EditUserForm(FlaskForm):
    """Change a user's role, team, agent code, status or password."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[(r, r) for r in ROLES])
    team = SelectField(_l("Team"), choices=[], validate_choice=False)
    agent_code = StringField(_l("Agent code"), validators=[Optional(), Length(max=40)])
    active = BooleanField(_l("Active"))
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=8)])


class TeamForm(FlaskForm):
    """Create a team."""

    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])
