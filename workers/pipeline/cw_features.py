"""Hashed sparse and pooled dense features of a sentence, for the check-worthiness scorer.

Requires: a parsed spaCy Span/Doc (tagger, parser, ner; tok2vec tensor used when present).
Assigns: nothing; returns (feature indices, values) and a dense vector per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, IS_PUNCT, LEMMA, LIKE_NUM, LOWER, POS, SHAPE, TAG
from spacy.strings import hash_string

FEATURE_VERSION = 1
HASH_BITS = 18
N_HASHED = 1 << HASH_BITS
TENSOR_DIM = 96
_ATTRS = [LOWER, LEMMA, POS, TAG, ENT_TYPE, DEP, SHAPE, LIKE_NUM, IS_PUNCT]
_ROOT = np.uint64(hash_string("ROOT"))
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_SHIFT = np.uint64(64 - HASH_BITS)
_BOS = np.array([1], dtype=np.uint64)
_EOS = np.array([2], dtype=np.uint64)
_LENGTH_EDGES = np.array([3, 6, 10, 15, 20, 30, 45])
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "myself", "ourselves"})
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Sparse hashed indices (unique, binary valued) and the pooled tok2vec vector."""

    indices: np.ndarray
    dense: np.ndarray


def _mix(values: np.ndarray, kind: int) -> np.ndarray:
    """Map uint64 keys of one feature kind to hashed slots in [0, N_HASHED)."""
    with np.errstate(over="ignore"):
        keyed = (values + np.uint64(kind) * _MIX) & _MASK
        return ((keyed * _MIX2) & _MASK) >> _SHIFT


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Combine two aligned uint64 key arrays into one key per pair."""
    with np.errstate(over="ignore"):
        return (first * _MIX2 + second) & _MASK


def _with_bounds(column: np.ndarray) -> np.ndarray:
    """Add begin/end markers so bigrams see the sentence edges."""
    return np.concatenate([_BOS, column, _EOS])


def _flags(table: np.ndarray, lowers: list[str], text: str) -> list[int]:
    """Small global indicators: length bucket, question, persons, numbers."""
    n_words = int((table[:, 8] == 0).sum())
    flags = [100 + int(np.searchsorted(_LENGTH_EDGES, n_words))]
    if text.rstrip().endswith("?"):
        flags.append(200)
    if any(word in _FIRST_PERSON for word in lowers):
        flags.append(201)
    if any(word in _SECOND_PERSON for word in lowers):
        flags.append(202)
    if table[:, 7].any():
        flags.append(203)
    if "%" in text or "percent" in lowers:
        flags.append(204)
    return flags


def _sparse(table: np.ndarray, span: Any) -> np.ndarray:
    """Hashed slots of every sparse feature of one sentence."""
    words = table[table[:, 8] == 0]
    lower, lemma, pos, tag, ent, dep, shape = (words[:, col] for col in range(7))
    lower_b, pos_b = _with_bounds(lower), _with_bounds(pos)
    ents = ent[ent != 0]
    lowers = [token.lower_ for token in span]
    parts = [
        _mix(lower, 1),
        _mix(lemma, 2),
        _mix(_pairs(lower_b[:-1], lower_b[1:]), 3),
        _mix(pos, 4),
        _mix(_pairs(pos_b[:-1], pos_b[1:]), 5),
        _mix(_pairs(_pairs(pos_b[:-2], pos_b[1:-1]), pos_b[2:]), 6),
        _mix(tag, 7),
        _mix(ents, 8),
        _mix(_pairs(dep, pos), 9),
        _mix(shape, 10),
        _mix(lemma[dep == _ROOT], 11),
        _mix(np.asarray(_flags(table, lowers, span.text), dtype=np.uint64), 12),
    ]
    return np.unique(np.concatenate(parts)).astype(np.int64)


def _pooled(span: Any) -> np.ndarray:
    """Mean of the tok2vec tensor rows of the span (zeros when unavailable)."""
    doc = span.doc if hasattr(span, "doc") else span
    tensor = getattr(doc, "tensor", None)
    start = getattr(span, "start", 0)
    end = getattr(span, "end", len(doc))
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != len(doc) or end <= start:
        return np.zeros(TENSOR_DIM, dtype=np.float32)
    rows = tensor[start:end]
    if rows.shape[1] != TENSOR_DIM:
        return np.zeros(TENSOR_DIM, dtype=np.float32)
    return rows.mean(axis=0).astype(np.float32)


def featurize(span: Any) -> SentenceFeatures:
    """Features of one parsed sentence; an empty span gives empty sparse features."""
    if len(span) == 0:
        return SentenceFeatures(np.zeros(0, dtype=np.int64), _pooled(span))
    table = span.to_array(_ATTRS)
    if table.ndim == 1:
        table = table.reshape(1, -1)
    return SentenceFeatures(_sparse(table, span), _pooled(span))
