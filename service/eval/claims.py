"""``claimdesk eval claims``: claim quality on the articles written for the tests.

The pipeline is the one the workers build (the spaCy model named by the settings). Each
article is parsed once, in one ``nlp.pipe`` stream; its claims come from ``Pipeline.extract``
on that Doc with the article's ``published_at``, and its entity ranges from the same Doc.
An article the pipeline raises on is reported as failed (no claims), as a worker would mark it
``failed``; the other articles are still scored. Scoring is pure, in
``workers.evaluation.claims``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from service.store.settings import Settings
from workers.evaluation.claims import (
    DATASET_FILE,
    ClaimQuality,
    DatasetError,
    entity_ranges,
    format_claims_report,
    read_articles,
    score_article,
    summarize,
)
from workers.pipeline.pipeline import Pipeline, PipelineConfig, build_pipeline


def evaluate_claims(dataset_dir: Path, *, pipeline: Pipeline) -> ClaimQuality:
    """Run the pipeline over every article of the dataset and score what it produced."""
    articles = read_articles(dataset_dir)
    docs = pipeline.nlp.pipe((a.text for a in articles), batch_size=pipeline.config.batch_size)
    scores = []
    for article, doc in zip(articles, docs, strict=True):
        try:
            claims = pipeline.extract(doc, article.published_at)
        except Exception as exc:  # one article's failure is a figure of the report, not the end
            error = f"{type(exc).__name__}: {exc}"
            scores.append(score_article(article, [], entity_ranges(doc), error=error))
            continue
        scores.append(score_article(article, claims, entity_ranges(doc)))
    return summarize(scores)


def run_claims_eval(dataset_dir: Path, *, verbose: bool = False) -> int:
    """Print the claim-quality report; 2 when the folder holds no readable dataset."""
    if not (dataset_dir / DATASET_FILE).is_file():
        sys.stderr.write(f"claimdesk eval: {dataset_dir} has no {DATASET_FILE}\n")
        return 2
    settings = Settings()
    pipeline = build_pipeline(PipelineConfig(
        model=settings.spacy_model, semantic_checkworthiness=settings.checkworthiness_semantic))
    try:
        result = evaluate_claims(dataset_dir, pipeline=pipeline)
    except DatasetError as exc:
        sys.stderr.write(f"claimdesk eval: {exc}\n")
        return 2
    sys.stdout.write(format_claims_report(result, verbose=verbose) + "\n")
    return 0
