"""The review queue: what each QA person should review next, with claims."""
