"""Call ids from features that may not be installed: reviews and disputes (imported lazily)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select


def reviewed_call_ids() -> Select[Any] | None:
    """Return a query of the ids of reviewed calls, or None without the review feature."""
    try:
        from qa.review.models import Review
    except ImportError:
        return None
    return select(Review.call_id)


def disputed_call_ids() -> Select[Any] | None:
    """Return a query of the ids of calls with an open dispute, or None without disputes."""
    try:
        from qa.disputes.models import Dispute
    except ImportError:
        return None
    return select(Dispute.call_id).where(Dispute.status == "open")
