from pathlib import Path

import numpy as np
import pytest

from workers.pipeline.checkworthiness import (
    CheckworthinessConfig,
    CheckworthinessScorer,
    load_scorer,
    read_metadata,
)
from workers.pipeline.cw_features import DENSE_DIM, FEATURE_VERSION, N_HASHED, featurize

WORTHY = "Unemployment fell to 3.5 percent in 2019, the lowest in fifty years."
NOT_WORTHY = "Thank you all for coming tonight."
DATA_DIR = Path(__file__).resolve().parents[2] / "workers" / "pipeline" / "data"


@pytest.fixture(scope="module")
def scorer() -> CheckworthinessScorer:
    return load_scorer()


def write_weights(path: Path, *, bias: float, version: int = FEATURE_VERSION) -> Path:
    np.savez(
        path,
        feature_version=np.int64(version),
        w_sparse=np.zeros(N_HASHED, dtype=np.float32),
        w_dense=np.zeros(DENSE_DIM, dtype=np.float32),
        bias=np.float64(bias),
        dense_mean=np.zeros(DENSE_DIM, dtype=np.float32),
        dense_std=np.ones(DENSE_DIM, dtype=np.float32),
        calib_slope=np.float64(1.0),
        calib_offset=np.float64(0.0),
    )
    return path


@pytest.mark.parametrize(
    "text",
    [
        # a statistic with a date
        WORTHY,
        # pleasantries
        NOT_WORTHY,
        # a question
        "What would you do about it?",
        # a single word
        "Yes.",
        # a long run-on sentence with many entities
        "In 2016 Texas, California and New York together received $40 billion, "
        "up 12% from 2015, according to the Congressional Budget Office, "
        "which said that the trend would continue for a decade.",
    ],
)
def test_score_is_a_probability(nlp, scorer, text):
    value = scorer.score(nlp(text))
    assert 0.0 <= value <= 1.0


def test_score_is_deterministic_across_calls_and_instances(nlp, scorer):
    doc = nlp(WORTHY)
    assert scorer.score(doc) == scorer.score(doc)
    assert CheckworthinessScorer().score(doc) == scorer.score(doc)


def test_factual_statistic_outranks_pleasantries(nlp, scorer):
    worthy, not_worthy = scorer.score(nlp(WORTHY)), scorer.score(nlp(NOT_WORTHY))
    assert worthy > not_worthy
    assert worthy >= 0.5 > not_worthy


@pytest.mark.parametrize(
    "text",
    [
        # empty text
        "",
        # whitespace only
        "   \n ",
    ],
)
def test_empty_input_scores_zero(nlp, scorer, text):
    assert scorer.score(nlp(text)) == 0.0


def test_empty_span_of_a_real_doc_scores_zero(nlp, scorer):
    doc = nlp(WORTHY)
    assert scorer.score(doc[2:2]) == 0.0


def test_sentence_spans_of_one_doc_are_scored_on_their_own(nlp, scorer):
    sentences = list(nlp(f"{NOT_WORTHY} {WORTHY}").sents)
    assert scorer.score(sentences[-1]) > scorer.score(sentences[0])


def test_load_scorer_is_cached():
    assert load_scorer() is load_scorer()


def test_features_are_deterministic_hashed_slots(nlp):
    first, second = featurize(nlp(WORTHY)), featurize(nlp(WORTHY))
    assert np.array_equal(first.indices, second.indices)
    assert first.indices.min() >= 0 and first.indices.max() < N_HASHED
    assert first.dense.shape == (DENSE_DIM,)


def test_doc_without_tensor_gets_zero_dense_features(nlp):
    doc = nlp.make_doc(WORTHY)
    assert not featurize(doc).dense.any()


def test_custom_weights_path_gives_sigmoid_of_bias(nlp, tmp_path):
    path = write_weights(tmp_path / "w.npz", bias=0.0)
    custom = CheckworthinessScorer(CheckworthinessConfig(weights_path=path))
    assert custom.score(nlp(WORTHY)) == pytest.approx(0.5)


def test_weights_of_another_feature_version_are_refused(tmp_path):
    path = write_weights(tmp_path / "w.npz", bias=0.0, version=FEATURE_VERSION + 1)
    with pytest.raises(ValueError):
        CheckworthinessScorer(CheckworthinessConfig(weights_path=path))


def test_shipped_weights_are_small_and_versioned():
    assert (DATA_DIR / "checkworthiness.npz").stat().st_size < 5 * 1024 * 1024
    metadata = read_metadata()
    assert metadata["feature_version"] == FEATURE_VERSION
    assert metadata["weights_version"]
