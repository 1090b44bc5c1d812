"""Scorecards: the stored results of scoring calls against rubric versions."""
