"""Hashed sparse and pooled dense features of a sentence, for the check-worthiness scorer.

Requires: a parsed spaCy Span/Doc (tagger, parser, ner; tok2vec tensor used when present).
Assigns: nothing; returns unique hashed feature slots (binary) and a mean+max pooled vector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LIKE_NUM,
    LOWER,
    POS,
    SHAPE,
    TAG,
)
from spacy.strings import StringStore

FEATURE_VERSION = 2
HASH_BITS = 18
N_HASHED = 1 << HASH_BITS
# Word-identity features hash into [0, N_LEXICAL); structural ones into [N_LEXICAL, N_HASHED),
# so training can regularise the two groups differently without collisions between them.
N_LEXICAL = N_HASHED - (1 << 15)
TENSOR_DIM = 96
DENSE_DIM = 2 * TENSOR_DIM
_ATTRS = [LOWER, LEMMA, POS, TAG, ENT_TYPE, DEP, SHAPE, LIKE_NUM, IS_PUNCT, IS_SPACE]
_STRINGS = StringStore()
_ROOT = np.uint64(_STRINGS.add("ROOT"))
_QUESTION = np.uint64(_STRINGS.add("?"))
_PERCENT = frozenset(_STRINGS.add(w) for w in ("%", "percent", "per"))
_FIRST_PERSON = frozenset(
    _STRINGS.add(w) for w in ("i", "we", "me", "us", "my", "our", "myself", "ourselves")
)
_SECOND_PERSON = frozenset(
    _STRINGS.add(w) for w in ("you", "your", "yours", "yourself", "yourselves")
)
_MIX = 0x9E3779B97F4A7C15
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_TOP = np.uint64(32)
_BOS = np.array([1], dtype=np.uint64)
_EOS = np.array([2], dtype=np.uint64)
_LENGTH_EDGES = np.array([3, 6, 10, 15, 20, 30, 45])
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Sparse hashed indices (unique, binary valued) and the mean+max pooled tok2vec vector."""

    indices: np.ndarray
    dense: np.ndarray


_SALTS = [np.uint64((kind * _MIX) & 0xFFFFFFFFFFFFFFFF) for kind in range(13)]


def _salted(keys: np.ndarray, kind: int) -> np.ndarray:
    """Keys of one feature kind, offset by a per-kind salt (uint64 arrays wrap mod 2**64)."""
    return keys + _SALTS[kind]


def _slots(keys: np.ndarray, *, lexical: bool) -> np.ndarray:
    """Map salted uint64 keys to hashed slots of their group."""
    mixed = (keys * _MIX2) >> _TOP
    if lexical:
        return mixed % np.uint64(N_LEXICAL)
    return mixed % np.uint64(N_HASHED - N_LEXICAL) + np.uint64(N_LEXICAL)


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Combine two aligned uint64 key arrays into one key per pair."""
    return first * _MIX2 + second


def _with_bounds(column: np.ndarray) -> np.ndarray:
    """Add begin/end markers so n-grams see the sentence edges."""
    return np.concatenate([_BOS, column, _EOS])


def _flags(table: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Small global indicators: length bucket, question, persons, numbers, percentages."""
    flags = [100 + int(np.searchsorted(_LENGTH_EDGES, len(lower)))]
    words = set(lower.tolist())
    tokens = table[table[:, 9] == 0, 0]
    checks = (
        len(tokens) > 0 and tokens[-1] == _QUESTION,
        not words.isdisjoint(_FIRST_PERSON),
        not words.isdisjoint(_SECOND_PERSON),
        bool(table[:, 7].any()),
        not words.isdisjoint(_PERCENT),
    )
    flags += [200 + i for i, on in enumerate(checks) if on]
    return np.asarray(flags, dtype=np.uint64)


def _sparse(table: np.ndarray) -> np.ndarray:
    """Hashed slots of every sparse feature of one sentence (empty when it has no words)."""
    words = table[(table[:, 8] == 0) & (table[:, 9] == 0)]
    if len(words) == 0:
        return _EMPTY
    lower, lemma, pos, tag, ent, dep, shape = (words[:, col] for col in range(7))
    lower_b, pos_b = _with_bounds(lower), _with_bounds(pos)
    lexical = [
        _salted(lower, 1),
        _salted(lemma, 2),
        _salted(_pairs(lower_b[:-1], lower_b[1:]), 3),
        _salted(lemma[dep == _ROOT], 11),
    ]
    structural = [
        _salted(pos, 4),
        _salted(_pairs(pos_b[:-1], pos_b[1:]), 5),
        _salted(_pairs(_pairs(pos_b[:-2], pos_b[1:-1]), pos_b[2:]), 6),
        _salted(tag, 7),
        _salted(ent[ent != 0], 8),
        _salted(_pairs(dep, pos), 9),
        _salted(shape, 10),
        _salted(_flags(table, lower), 12),
    ]
    slots = np.concatenate(
        [
            _slots(np.concatenate(lexical), lexical=True),
            _slots(np.concatenate(structural), lexical=False),
        ]
    )
    return np.unique(slots).astype(np.int64)


def _pooled(span: Any) -> np.ndarray:
    """Mean and max of the span's tok2vec tensor rows (zeros when the doc has no tensor)."""
    doc = span.doc if hasattr(span, "doc") else span
    tensor = getattr(doc, "tensor", None)
    start = getattr(span, "start", 0)
    end = getattr(span, "end", len(doc))
    if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), TENSOR_DIM) or end <= start:
        return np.zeros(DENSE_DIM, dtype=np.float32)
    rows = tensor[start:end]
    # np.add.reduce / n is what ndarray.mean computes, without its Python-level wrapper
    mean = np.add.reduce(rows, axis=0) / np.float32(end - start)
    return np.concatenate([mean, np.maximum.reduce(rows, axis=0)]).astype(np.float32)


def featurize(span: Any) -> SentenceFeatures:
    """Features of one parsed sentence; no words (empty, spaces, punctuation) gives no indices."""
    if len(span) == 0:
        return SentenceFeatures(_EMPTY, _pooled(span))
    table = span.to_array(_ATTRS)
    return SentenceFeatures(_sparse(table), _pooled(span))
