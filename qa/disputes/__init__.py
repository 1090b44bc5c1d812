"""Agents dispute item results of their own scorecards; QA resolves them."""
