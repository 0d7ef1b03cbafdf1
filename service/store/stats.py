"""Operator-wide counts for ``/metrics`` (across organisations, which this module's name says).

Each is one ``GROUP BY`` over its table at scrape time, so the figures are exact whichever
process changed the rows; every known state is present, 0 when no row is in it.
"""

from __future__ import annotations

from typing import get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.articles import ArticleState
from schemas.webhooks import DeliveryState
from service.store.models import Article, WebhookDelivery


def count_articles_by_state(session: Session) -> dict[str, int]:
    """Operator-wide: articles in each state."""
    counts = dict.fromkeys(get_args(ArticleState), 0)
    query = select(Article.state, func.count()).group_by(Article.state)
    counts.update({state: int(n) for state, n in session.execute(query)})
    return counts


def count_deliveries_by_state(session: Session) -> dict[str, int]:
    """Operator-wide: webhook deliveries in each state (pending, delivered, failed)."""
    counts = dict.fromkeys(get_args(DeliveryState), 0)
    query = select(WebhookDelivery.state, func.count()).group_by(WebhookDelivery.state)
    counts.update({state: int(n) for state, n in session.execute(query)})
    return counts
