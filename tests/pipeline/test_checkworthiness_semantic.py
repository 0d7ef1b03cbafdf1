"""The opt-in semantic check-worthiness scorer (linear + MiniLM-embedding head): off by default
and then exactly the linear scorer; on, it changes the scores."""

import math

import numpy as np
import pytest

from service.store.settings import Settings
from workers.evidence.rerank import semantic_available
from workers.pipeline.checkworthiness import (
    CheckworthinessConfig,
    CheckworthinessScorer,
    SemanticHead,
    load_scorer,
    read_model,
    read_semantic_head,
)
from workers.pipeline.cw_features import featurize

SENTENCES = [
    "Unemployment fell to 3.5 percent in 2019, the lowest in fifty years.",
    "Thank you all for coming tonight.",
    "We have cut taxes for 95 percent of working families.",
    "I think the American people deserve better.",
    "The city spent $4 million on the new bridge last year.",
]

needs_model = pytest.mark.skipif(not semantic_available(),
                                 reason="the semantic extra (MiniLM model) is not installed")


def linear_by_hand(span) -> float:
    """The linear scorer's probability as it was before the semantic option existed."""
    features = featurize(span)
    if len(features.indices) == 0:
        return 0.0
    model = read_model()
    logit = (float(model.sparse[features.indices].sum(dtype=np.float64))
             + float(model.dense_w @ features.dense) + model.bias)
    z = model.calib_slope * logit + model.calib_offset
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def test_the_setting_is_off_by_default(monkeypatch):
    monkeypatch.delenv("CLAIMDESK_CHECKWORTHINESS_SEMANTIC", raising=False)
    assert Settings().checkworthiness_semantic is False
    assert CheckworthinessConfig().semantic is False
    monkeypatch.setenv("CLAIMDESK_CHECKWORTHINESS_SEMANTIC", "true")
    assert Settings().checkworthiness_semantic is True


def test_off_is_the_linear_scorer_exactly(nlp):
    default, off = load_scorer(), CheckworthinessScorer(CheckworthinessConfig(semantic=False))
    assert default.head is None and off.head is None
    for doc in nlp.pipe(SENTENCES):
        assert default.score(doc) == off.score(doc) == linear_by_hand(doc)


def test_the_head_maps_its_threshold_to_one_half_monotonically():
    head = SemanticHead(weights=np.zeros(3), bias=0.0, mix_weight=0.4, threshold=0.3)
    assert head.mix(0.3, 0.3) == pytest.approx(0.5)
    assert head.mix(0.0, 0.0) == 0.0 and head.mix(1.0, 1.0) == pytest.approx(1.0)
    grid = np.linspace(0, 1, 41)
    mixed = [head.mix(float(p), float(p)) for p in grid]
    assert all(a < b for a, b in zip(mixed, mixed[1:], strict=False))
    assert head.mix(0.2, 0.5) == pytest.approx(head.mix(0.32, 0.32))  # 0.6*0.2 + 0.4*0.5


def test_the_shipped_head_fits_the_encoder():
    head = read_semantic_head()
    assert head.weights.shape == (384,)
    assert 0.0 < head.mix_weight < 1.0 and 0.0 < head.threshold < 1.0


@needs_model
def test_on_changes_the_scores(nlp):
    linear, semantic = load_scorer(), load_scorer(semantic=True)
    assert semantic.head is not None
    docs = list(nlp.pipe(SENTENCES))
    before = [linear.score(doc) for doc in docs]
    after = [semantic.score(doc) for doc in docs]
    assert all(0.0 <= s <= 1.0 for s in after)
    assert all(a != b for a, b in zip(before, after, strict=True))
    for doc, old, new in zip(docs, before, after, strict=True):
        vector = semantic.encoder.encode([doc.text])[0]
        assert new == semantic.head.mix(old, semantic.head.probability(vector))
    assert after[0] >= 0.5 > after[1]  # a figure-laden claim vs a pleasantry
    # turning it on for one scorer leaves the default one linear
    assert load_scorer().score(docs[0]) == before[0]


@needs_model
def test_the_worker_pipeline_honours_the_setting():
    from workers.jobs import _pipeline

    model = Settings().spacy_model
    on = _pipeline(model, 5_000, True)
    assert on.scorer.head is not None
    off = _pipeline(model, 5_000, False)
    assert off.scorer.head is None
