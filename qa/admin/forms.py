"""Forms to create and edit users and teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from qa.auth.models import ROLES


class UserForm(FlaskForm):
    """Create a user."""

    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = StringField("Email", validators=[Optional(), Email(check_deliverability=False)])
    role = SelectField("Role", choices=[(r, r) for r in ROLES])
    team = SelectField("Team", choices=[], validate_choice=False)
    agent_code = StringField("Agent code", validators=[Optional(), Length(max=40)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])


class EditUserForm(FlaskForm):
    """Change a user's role, team, agent code, status or password."""

    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=[(r, r) for r in ROLES])
    team = SelectField("Team", choices=[], validate_choice=False)
    agent_code = StringField("Agent code", validators=[Optional(), Length(max=40)])
    active = BooleanField("Active")
    password = PasswordField("New password", validators=[Optional(), Length(min=8)])


class TeamForm(FlaskForm):
    """Create a team."""

    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])
