"""Demo data: users, teams and calls from the project's own synthetic recordings."""
