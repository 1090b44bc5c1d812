"""People: users, teams, roles, login."""
