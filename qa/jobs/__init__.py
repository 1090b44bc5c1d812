"""Background jobs: the call pipeline stages run by Celery workers."""
