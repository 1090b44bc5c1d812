"""Admin pages: users and teams."""
