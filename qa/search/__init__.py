"""Finding calls: list filters, full-text search over transcripts and highlighted snippets."""
