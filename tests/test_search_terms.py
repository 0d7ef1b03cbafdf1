"""The search-term contract: the words a query matches, the same for the linker and the store."""

from __future__ import annotations

import pytest

from schemas.search_terms import content_words, search_terms
from workers.evidence.query import build_query


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # lower-cased, stop words and single letters dropped, numbers kept whole
        ("The U.S. rate is 3.5% and 7,800 jobs", ["rate", "3.5", "7,800", "jobs"]),
        # repeated words once, in first-seen order
        ("Jobs, jobs and more JOBS for workers", ["jobs", "workers"]),
        # operator characters never reach a term
        ('"unemp*" NEAR(x) -y col:z', ["unemp", "near", "col"]),
        # nothing but stop words
        ("it is what it was", []),
        # possessives lose the quote mark that to_tsquery would read as syntax
        ("Krishna’s plan and O'Neil's", ["krishna", "plan", "neil"]),
        # links and handles are not words of the claim
        ("Read https://ex.org/a?b=c via @newsdesk now", ["read"]),
    ],
)
def test_search_terms_of_a_query(text: str, terms: list[str]) -> None:
    assert search_terms(text) == terms


def test_search_terms_are_capped() -> None:
    assert len(search_terms(" ".join(f"word{i}" for i in range(100)), max_terms=32)) == 32


def test_a_claims_query_is_written_in_the_terms_the_store_matches() -> None:
    statement = "Clearview AI's database holds more than 3 billion images, the FTC said."
    query = build_query(statement)
    assert query.split() == content_words(statement)
    assert search_terms(query) == ["clearview", "ai", "database", "holds", "3", "billion",
                                   "images", "ftc"]
