"""Coaching notes for agents, attached to a call or to the agent."""
