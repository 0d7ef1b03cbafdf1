"""Evaluate the check-worthiness scorer on CheckThat! 2024 task 1 (F1) and CLEF-2019 task 1 (MAP).

Requires: a dataset folder (read in place), a loaded spaCy pipeline and a scorer.
Assigns: nothing; returns plain dicts of figures and formats them for people.

Each figure comes with a bootstrap 95% interval (``workers.evaluation.bootstrap``: fixed seed,
1000 resamples): F1 resampled over sentences, MAP over transcripts. A new scorer's figure
inside the old one's interval is within the test split's noise.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workers.evaluation.bootstrap import RESAMPLES, bootstrap_interval
from workers.evaluation.datasets import ct24_path, read_checkthat, read_clef2019

# Published best figures, as given in the dataset READMEs.
CT24_PUBLISHED_BEST: dict[str, Any] = {
    "f1": 0.802,
    "team": "FactFinders (fine-tuned Llama2-7b), 1st of 26; figure unverified in the README",
}
CLEF2019_PUBLISHED_BEST: dict[str, Any] = {
    "map": 0.166,
    "team": "Copenhagen, primary run, 1st of 12",
}
BATCH_SIZE = 256
THRESHOLD = 0.5


def precision_recall_f1(predicted: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (0.0 where undefined)."""
    hits = sum(1 for p, g in zip(predicted, gold, strict=True) if p and g)
    n_predicted, n_gold = sum(predicted), sum(gold)
    precision = hits / n_predicted if n_predicted else 0.0
    recall = hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def average_precision(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """Average precision of the ranking by descending score (ties keep input order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, index in enumerate(order, start=1):
        if gold[index]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def score_texts(
    texts: list[str], *, nlp: Any, scorer: Any, progress: bool, desc: str
) -> list[float]:
    """Parse each text as one sentence and score it."""
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
    bar = tqdm(docs, total=len(texts), desc=desc, disable=not progress, file=sys.stderr)
    return [float(scorer.score(doc)) for doc in bar]


def evaluate_checkthat(
    dataset_dir: Path, *, nlp: Any, scorer: Any, progress: bool = True, split: str = "test"
) -> dict[str, Any]:
    """Precision/recall/F1 of "Yes" at threshold 0.5 on one CheckThat! 2024 split."""
    sentences = read_checkthat(ct24_path(Path(dataset_dir), split))
    scores = score_texts(
        [s.text for s in sentences], nlp=nlp, scorer=scorer, progress=progress, desc=f"CT24 {split}"
    )
    gold = [s.label for s in sentences]
    predicted = [x >= THRESHOLD for x in scores]
    result: dict[str, Any] = precision_recall_f1(predicted, gold)
    result.update(
        f1_interval=bootstrap_interval(list(zip(predicted, gold, strict=True)), _pairs_f1),
        dataset="checkthat2024",
        split=split,
        n=len(sentences),
        n_positive=sum(gold),
        threshold=THRESHOLD,
        published_best=CT24_PUBLISHED_BEST["f1"],
        published_best_team=CT24_PUBLISHED_BEST["team"],
    )
    return result


def evaluate_clef2019(
    dataset_dir: Path, *, nlp: Any, scorer: Any, progress: bool = True
) -> dict[str, Any]:
    """MAP over the CLEF-2019 test transcripts, each ranked by the sentence score alone."""
    per_debate: dict[str, float] = {}
    n = 0
    for name, sentences in read_clef2019(Path(dataset_dir), "test").items():
        scores = score_texts(
            [s.text for s in sentences], nlp=nlp, scorer=scorer, progress=progress, desc=name
        )
        per_debate[name] = average_precision(scores, [s.label for s in sentences])
        n += len(sentences)
    mean_ap = _mean(list(per_debate.values()))
    return {
        "dataset": "clef2019",
        "map": mean_ap,
        "map_interval": bootstrap_interval(list(per_debate.values()), _mean),
        "per_debate": per_debate,
        "n": n,
        "published_best": CLEF2019_PUBLISHED_BEST["map"],
        "published_best_team": CLEF2019_PUBLISHED_BEST["team"],
    }


def _pairs_f1(pairs: Sequence[tuple[bool, bool]]) -> float:
    """F1 of (predicted, gold) pairs: the statistic resampled for the CheckThat! interval."""
    return precision_recall_f1([p for p, _ in pairs], [g for _, g in pairs])["f1"]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _interval_lines(result: dict[str, Any], figure: str, over: str) -> list[str]:
    """The line giving a figure's bootstrap interval, when the result has one."""
    key = f"{figure}_interval"
    if key not in result:
        return []
    low, high = result[key]
    return [f"  {figure.upper()} bootstrap 95% interval: {low:.4f}-{high:.4f} "
            f"({RESAMPLES} resamples of the {over}, fixed seed)"]


def format_report(result: dict[str, Any]) -> str:
    """A few readable lines, with the interval and the published best beside our figure."""
    if result.get("dataset") == "clef2019":
        lines = [
            f"CLEF-2019 task 1 test: MAP {result['map']:.4f} over {len(result['per_debate'])} "
            f"transcripts ({result['n']} sentences)",
            *_interval_lines(result, "map", "transcripts"),
            f"  published best: MAP {result['published_best']:.4f} "
            f"({result.get('published_best_team', '')})",
        ]
        lines += [f"  {name}: AP {ap:.4f}" for name, ap in result["per_debate"].items()]
        return "\n".join(lines)
    return "\n".join(
        [
            f"CheckThat! 2024 task 1 EN {result['split']}: F1 {result['f1']:.4f} "
            f"(P {result['precision']:.4f}, R {result['recall']:.4f}) at threshold "
            f"{result['threshold']}, n={result['n']} ({result['n_positive']} Yes)",
            *_interval_lines(result, "f1", "sentences"),
            f"  published best: F1 {result['published_best']:.3f} "
            f"({result.get('published_best_team', '')})",
        ]
    )
