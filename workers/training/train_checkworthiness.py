"""Rebuild the check-worthiness weights (workers/pipeline/data/checkworthiness.npz).

Requires: the CheckThat! 2024 task 1 English and CLEF-2019 task 1 folders (read in place).
Assigns: writes the weights and their metadata JSON. Trains on CheckThat! train plus CLEF-2019
train (minus three held-out debates; a CLEF-only bias column absorbs its lower positive rate and
is dropped from the shipped weights), calibrates on CheckThat! dev + dev-test, and reports tuning
figures only (never test).
Run: .venv/bin/python -m workers.training.train_checkworthiness [--ct24 DIR] [--clef2019 DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workers.evaluation.checkworthiness import average_precision
from workers.evaluation.datasets import LabelledSentence, ct24_path, read_checkthat, read_clef2019
from workers.pipeline.cw_features import FEATURE_VERSION, HASH_BITS, N_HASHED, featurize
from workers.pipeline.pipeline import load_nlp
from workers.training.logreg import Design, build_design, fit, logits, minimize_lbfgs, standardise

LOG = logging.getLogger("claimdesk.training")
WEIGHTS_VERSION = "1.0.0"
DEFAULT_CT24 = Path("../shared/datasets/checkthat2024-t1-en-checkworthiness")
DEFAULT_CLEF = Path("../shared/datasets/clef2019-t1-checkworthiness")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data"
# CLEF-2019 train debates held out for tuning (the organisers' choice plus two debates).
CLEF_HOLDOUT = ("20190108_oval_office", "20161019_3pres", "20160414_9dem")


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyperparameters, chosen on CheckThat! dev/dev-test and the held-out CLEF-2019 debates."""

    l2: float = 3e-4
    lexical_l2_factor: float = 3.0
    dense_scale: float = 0.5
    clef_weight: float = 1.0
    max_iter: int = 400


def featurize_docs(docs: Sequence[Any]) -> tuple[list[np.ndarray], np.ndarray]:
    """Sparse indices and pooled vectors of parsed docs."""
    features = [featurize(doc) for doc in docs]
    return [f.indices for f in features], np.stack([f.dense for f in features])


def f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class at a threshold."""
    predicted = scores >= threshold
    hits = float((predicted & labels).sum())
    precision = hits / max(1.0, float(predicted.sum()))
    recall = hits / max(1.0, float(labels.sum()))
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The F1-optimal threshold (midpoint between neighbouring scores)."""
    ordered = np.unique(scores)
    cuts = (ordered[:-1] + ordered[1:]) / 2 if len(ordered) > 1 else ordered
    f1s = [f1_at(scores, labels, float(cut))[2] for cut in cuts]
    return float(cuts[int(np.argmax(f1s))])


def calibrate(dev_logits: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Platt slope fitted on dev, offset moved so the dev F1-optimal logit maps to 0.5."""
    targets = labels.astype(np.float64)

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] * dev_logits + params[1]
        residual = (1.0 / (1.0 + np.exp(-z)) - targets) / len(targets)
        value = float(np.mean(np.logaddexp(0.0, z) - targets * z))
        return value, np.array([float(residual @ dev_logits), float(residual.sum())])

    slope = float(minimize_lbfgs(objective, np.array([1.0, 0.0]), max_iter=100)[0])
    cut = best_threshold(dev_logits, labels.astype(bool))
    return slope, -slope * cut, cut


@dataclass(slots=True)
class Corpus:
    """Featurised sentences with labels, sample weights and a domain flag (1 = CLEF-2019)."""

    indices: list[np.ndarray]
    dense: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    domain: np.ndarray


def featurize_sentences(
    nlp: Any, sentences: Sequence[LabelledSentence], *, weight: float, domain: float, desc: str
) -> Corpus:
    """Parse and featurise labelled sentences (one spaCy doc per sentence)."""
    from tqdm import tqdm

    docs = nlp.pipe([s.text for s in sentences], batch_size=256)
    indices, dense = featurize_docs(list(tqdm(docs, total=len(sentences), desc=desc)))
    labels = np.array([s.label for s in sentences], dtype=bool)
    n = len(sentences)
    return Corpus(indices, dense, labels, np.full(n, weight), np.full(n, domain))


def join(corpora: Sequence[Corpus]) -> Corpus:
    """Concatenate corpora."""
    return Corpus(
        [ix for c in corpora for ix in c.indices],
        np.concatenate([c.dense for c in corpora]),
        np.concatenate([c.labels for c in corpora]),
        np.concatenate([c.weights for c in corpora]),
        np.concatenate([c.domain for c in corpora]),
    )


class TrainedModel:
    """Raw weights plus the dense standardisation, able to score corpora."""

    def __init__(self, weights: np.ndarray, mean: np.ndarray, std: np.ndarray) -> None:
        self.weights, self.mean, self.std = weights, mean, std

    def design(self, corpus: Corpus, *, with_domain: bool) -> Design:
        """Design matrix; the domain column is zero unless training."""
        domain = corpus.domain if with_domain else np.zeros(len(corpus.labels))
        dense = np.hstack([(corpus.dense - self.mean) / self.std, domain[:, None]])
        return build_design(corpus.indices, dense)

    def logits(self, corpus: Corpus) -> np.ndarray:
        """Inference-time logits (no domain flag)."""
        return logits(self.design(corpus, with_domain=False), self.weights)


def train(corpus: Corpus, cfg: TrainConfig) -> TrainedModel:
    """Standardise the dense part and fit the weights (domain flag as an extra column)."""
    mean, std = standardise(corpus.dense, cfg.dense_scale)
    model = TrainedModel(np.zeros(0), mean, std)
    design = model.design(corpus, with_domain=True)
    model.weights = fit(
        design,
        corpus.labels,
        corpus.weights,
        l2=cfg.l2,
        lexical_l2_factor=cfg.lexical_l2_factor,
        max_iter=cfg.max_iter,
    )
    return model


def save(model: TrainedModel, calibration: tuple[float, float], out_dir: Path) -> Path:
    """Write the compressed weights file (the domain weight is dropped)."""
    path = out_dir / "checkworthiness.npz"
    np.savez_compressed(
        path,
        feature_version=np.int64(FEATURE_VERSION),
        w_sparse=model.weights[:N_HASHED].astype(np.float32),
        w_dense=model.weights[N_HASHED:-2].astype(np.float32),
        bias=np.float64(model.weights[-1]),
        dense_mean=model.mean.astype(np.float32),
        dense_std=model.std.astype(np.float32),
        calib_slope=np.float64(calibration[0]),
        calib_offset=np.float64(calibration[1]),
    )
    return path


def load_corpora(nlp: Any, ct24: Path, clef: Path, cfg: TrainConfig) -> dict[str, Corpus]:
    """Training corpus (both train splits, minus held-out debates) and the tuning sets."""
    debates = read_clef2019(clef, "train")
    clef_train = [s for name, sents in debates.items() if name not in CLEF_HOLDOUT for s in sents]
    corpora = {
        "train": join(
            [
                featurize_sentences(
                    nlp,
                    read_checkthat(ct24_path(ct24, "train")),
                    weight=1.0,
                    domain=0.0,
                    desc="CT24 train",
                ),
                featurize_sentences(
                    nlp, clef_train, weight=cfg.clef_weight, domain=1.0, desc="CLEF-2019 train"
                ),
            ]
        )
    }
    for split in ("dev", "dev-test"):
        sentences = read_checkthat(ct24_path(ct24, split))
        corpora[split] = featurize_sentences(nlp, sentences, weight=1.0, domain=0.0, desc=split)
    for name in CLEF_HOLDOUT:
        corpora[name] = featurize_sentences(nlp, debates[name], weight=1.0, domain=1.0, desc=name)
    return corpora


def tuning_report(
    model: TrainedModel, corpora: dict[str, Corpus], calibration: tuple[float, float]
) -> dict[str, Any]:
    """Figures on the tuning sets at the calibrated 0.5 threshold (and held-out CLEF MAP)."""
    slope, offset = calibration
    report: dict[str, Any] = {}
    for split in ("dev", "dev-test"):
        corpus = corpora[split]
        probs = 1.0 / (1.0 + np.exp(-(slope * model.logits(corpus) + offset)))
        precision, recall, f1 = f1_at(probs, corpus.labels, 0.5)
        report[f"ct24_{split}"] = {"precision": precision, "recall": recall, "f1": f1}
    aps = {
        name: average_precision(model.logits(corpora[name]).tolist(), corpora[name].labels.tolist())
        for name in CLEF_HOLDOUT
    }
    report["clef2019_heldout"] = {"map": float(np.mean(list(aps.values()))), "per_debate": aps}
    return report


def build_metadata(
    cfg: TrainConfig,
    corpora: dict[str, Corpus],
    model: TrainedModel,
    calibration: tuple[float, float, float],
) -> dict[str, Any]:
    """The metadata JSON shipped beside the weights."""
    slope, offset, cut = calibration
    return {
        "weights_version": WEIGHTS_VERSION,
        "feature_version": FEATURE_VERSION,
        "hash_bits": HASH_BITS,
        "model": "L2 logistic regression over hashed binary features + mean/max pooled tok2vec",
        "config": asdict(cfg),
        "trained_on": {
            "ct24_train": int((corpora["train"].domain == 0).sum()),
            "clef2019_train": int((corpora["train"].domain == 1).sum()),
            "clef2019_heldout": list(CLEF_HOLDOUT),
        },
        "calibration": {
            "method": "Platt slope fitted on CT24 dev + dev-test logits; offset set so the "
            "F1-optimal logit on those sets maps to probability 0.5",
            "slope": slope,
            "offset": offset,
            "f1_optimal_logit": cut,
        },
        "tuning_figures": tuning_report(model, corpora, (slope, offset)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Train, calibrate on CT24 dev + dev-test, write weights and metadata."""

    parser = argparse.ArgumentParser(description="Rebuild the check-worthiness weights.")
    parser.add_argument("--ct24", type=Path, default=DEFAULT_CT24)
    parser.add_argument("--clef2019", type=Path, default=DEFAULT_CLEF)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    cfg = TrainConfig()
    corpora = load_corpora(load_nlp(), args.ct24, args.clef2019, cfg)
    model = train(corpora["train"], cfg)
    tuning = join([corpora["dev"], corpora["dev-test"]])
    calibration = calibrate(model.logits(tuning), tuning.labels)
    path = save(model, calibration[:2], args.out)
    metadata = build_metadata(cfg, corpora, model, calibration)
    (args.out / "checkworthiness.json").write_text(json.dumps(metadata, indent=2) + "\n")
    LOG.info("wrote %s (%d bytes)", path, path.stat().st_size)
    LOG.info("%s", json.dumps(metadata["tuning_figures"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
