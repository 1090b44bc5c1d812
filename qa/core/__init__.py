"""Cross-cutting pieces: the access policy."""
