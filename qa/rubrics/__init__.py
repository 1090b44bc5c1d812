"""Rubrics stored as versioned YAML documents; publishing never rewrites old scorecards."""
