"""The versioned JSON API (/api/v1): tokens, calls, results, KPIs and webhooks."""
