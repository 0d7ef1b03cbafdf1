"""Claim quality: would a fact-checker sign off the claims the pipeline queues?

Requires: the claim-quality dataset (``tests/data/claim_quality``: articles written for the
tests, each with the claims a fact-checker would queue) and, per article, the claim records the
pipeline produced and the character ranges of the parsed Doc's entities. Assigns: nothing;
returns plain records of figures and formats them for people. No service, database or queue.

Definitions (offsets are into the article text; "covers" means ``claim.start <= start`` and
``end <= claim.end``):

- queued claim: a produced claim with ``checkworthiness >= QUEUE_THRESHOLD`` (0.5), the ones a
  fact-checker's queue shows.
- signed off: an expected claim is signed off when some queued claim covers its ``anchor``,
  lies inside one paragraph (its text holds no line break) and has a ``statement`` holding
  every ``must_contain`` string (case-insensitive): the named subject and the key figure or
  date, so the statement stands alone.
- broken: a queued claim whose text crosses a line break, or whose start or end falls strictly
  inside an entity range of the parsed Doc (it cuts a name in two).
- duplicate: a checkable span (a quantity or date span: same kind, start and end) held by two
  queued claims or more. The attribution that reports it may sit beside the claim of its
  content: when the widest holder is an ``attribution`` claim that strictly covers another
  holder, it is set aside before counting. Each span queued twice counts once.
- not-claim violated: a ``not_claims`` string (an opinion, a question, a party label,
  boilerplate) fully covered by a queued claim.
- queued claims per article: the mean over articles, beside all claims per article.
- failed: an article on which the pipeline raised; it is scored as producing no claims, so
  its expected claims count as missed, and the error is printed.

The signed-off share comes with a percentile bootstrap 95% interval over articles (fixed seed,
1000 resamples; each resample's share is signed-off claims over expected claims).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.tokens import Doc

from schemas.claims import ClaimRecord
from workers.evaluation.bootstrap import RESAMPLES, bootstrap_interval

QUEUE_THRESHOLD = 0.5
DATASET_FILE = "articles.jsonl"
CHECKABLE_KINDS = frozenset({"quantity", "date"})

EntityRange = tuple[int, int]


class DatasetError(ValueError):
    """A line of the claim-quality dataset is malformed."""


@dataclass(frozen=True)
class ExpectedClaim:
    """A claim a fact-checker would queue: where it is, and what its statement must say."""

    anchor: str
    must_contain: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One test article and its expectations."""

    id: str
    shape: str
    published_at: date
    text: str
    claims: tuple[ExpectedClaim, ...]
    not_claims: tuple[str, ...]

    def find(self, needle: str) -> tuple[int, int]:
        """Offsets of ``needle`` in the text (the dataset keeps anchors unique)."""
        start = self.text.find(needle)
        if start < 0:
            raise DatasetError(f"{self.id}: {needle!r} is not in the text")
        return start, start + len(needle)


@dataclass(frozen=True)
class Miss:
    """An expected claim not signed off, with why and the nearest claim produced."""

    anchor: str
    reason: str
    closest: ClaimRecord | None


@dataclass(frozen=True)
class ArticleScore:
    """The figures of one article."""

    id: str
    expected: int
    signed_off: int
    produced: int
    queued: int
    broken: list[tuple[ClaimRecord, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (kind, span text)
    not_claims: int = 0
    violated: list[str] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    error: str | None = None  # what the pipeline raised on this article, if it did


@dataclass(frozen=True)
class ClaimQuality:
    """The figures of the whole dataset, and the per-article scores behind them."""

    articles: list[ArticleScore]
    signed_off: int
    expected: int
    interval: tuple[float, float]
    broken: int
    duplicates: int
    violated: int
    not_claims: int
    queued_per_article: float
    produced_per_article: float
    failed: int = 0

    @property
    def share(self) -> float:
        return self.signed_off / self.expected if self.expected else 0.0


def read_articles(dataset_dir: Path) -> list[Article]:
    """The articles of ``DIR/articles.jsonl``; every anchor and not-claim must occur once."""
    path = Path(dataset_dir) / DATASET_FILE
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            article = Article(
                id=row["id"],
                shape=row["shape"],
                published_at=date.fromisoformat(row["published_at"]),
                text=row["text"],
                claims=tuple(ExpectedClaim(c["anchor"], tuple(c["must_contain"]))
                             for c in row["claims"]),
                not_claims=tuple(row["not_claims"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: {exc}") from None
        for needle in [c.anchor for c in article.claims] + list(article.not_claims):
            if article.text.count(needle) != 1:
                raise DatasetError(f"{path}:{number}: {needle!r} occurs "
                                   f"{article.text.count(needle)} times in the text, not once")
        articles.append(article)
    return articles


def entity_ranges(doc: Doc) -> list[EntityRange]:
    """Character ranges of the Doc's named entities."""
    return [(ent.start_char, ent.end_char) for ent in doc.ents]


def is_queued(claim: ClaimRecord) -> bool:
    return claim.checkworthiness >= QUEUE_THRESHOLD


def covers(claim: ClaimRecord, start: int, end: int) -> bool:
    return claim.start <= start and end <= claim.end


def missing_words(claim: ClaimRecord, expected: ExpectedClaim) -> list[str]:
    """The ``must_contain`` strings the claim's statement lacks (case-insensitive)."""
    statement = claim.statement.casefold()
    return [word for word in expected.must_contain if word.casefold() not in statement]


def signs_off(claim: ClaimRecord, expected: ExpectedClaim, start: int, end: int) -> bool:
    """Queued, covering the anchor at ``start:end``, in one paragraph, statement complete."""
    return (is_queued(claim) and covers(claim, start, end) and "\n" not in claim.text
            and not missing_words(claim, expected))


def broken_reason(claim: ClaimRecord, entities: Sequence[EntityRange], text: str) -> str | None:
    """Why a claim is broken (crosses a line break, cuts a name), or None when it is whole."""
    if "\n" in claim.text:
        return "crosses a line break"
    for start, end in entities:
        if start < claim.start < end or start < claim.end < end:
            return f"cuts the name {text[start:end]!r}"
    return None


def duplicate_spans(queued: Sequence[ClaimRecord]) -> list[tuple[str, str]]:
    """Checkable spans (kind, text) queued twice or more, the reporting attribution aside."""
    holders: dict[tuple[str, int, int, str], list[ClaimRecord]] = defaultdict(list)
    for claim in queued:
        for span in claim.spans:
            if span.kind in CHECKABLE_KINDS:
                holders[(span.kind, span.start, span.end, span.text)].append(claim)
    twice = []
    for (kind, _, _, text), claims in holders.items():
        if len(claims) > 1:
            claims = sorted(claims, key=lambda c: c.end - c.start, reverse=True)
            widest, rest = claims[0], claims[1:]
            if "attribution" in widest.types and any(_strictly_covers(widest, c) for c in rest):
                claims = rest
        if len(claims) > 1:
            twice.append((kind, text))
    return twice


def _strictly_covers(outer: ClaimRecord, inner: ClaimRecord) -> bool:
    return covers(outer, inner.start, inner.end) and (outer.start, outer.end) != (
        inner.start, inner.end)


def score_article(article: Article, claims: Sequence[ClaimRecord],
                  entities: Sequence[EntityRange], *, error: str | None = None) -> ArticleScore:
    """Sign-offs, misses, broken and duplicate claims and violated not-claims of one article.

    ``error``: what the pipeline raised on the article (its ``claims`` are then empty).
    """
    queued = [c for c in claims if is_queued(c)]
    signed_off = 0
    misses = []
    for expected in article.claims:
        start, end = article.find(expected.anchor)
        if any(signs_off(c, expected, start, end) for c in queued):
            signed_off += 1
        else:
            misses.append(_miss(expected, start, end, claims))
    broken = [(c, reason) for c in queued
              if (reason := broken_reason(c, entities, article.text)) is not None]
    violated = [n for n in article.not_claims
                if any(covers(c, *article.find(n)) for c in queued)]
    return ArticleScore(
        id=article.id, expected=len(article.claims), signed_off=signed_off,
        produced=len(claims), queued=len(queued), broken=broken,
        duplicates=duplicate_spans(queued), not_claims=len(article.not_claims),
        violated=violated, misses=misses, error=error,
    )


def _miss(expected: ExpectedClaim, start: int, end: int, claims: Sequence[ClaimRecord]) -> Miss:
    """Why no queued claim signs the expected claim off, judged on the nearest claims."""
    covering = [c for c in claims if covers(c, start, end)]
    if not covering:
        overlap = [(min(c.end, end) - max(c.start, start), c) for c in claims]
        closest = max(overlap, key=lambda pair: pair[0], default=(0, None))
        nearest = closest[1] if closest[0] > 0 else None
        return Miss(expected.anchor, "no claim covers the anchor", nearest)
    queued = [c for c in covering if is_queued(c)]
    if not queued:
        best = max(covering, key=lambda c: c.checkworthiness)
        return Miss(expected.anchor, f"covered, but not queued ({best.checkworthiness:.2f})",
                    best)
    whole = [c for c in queued if "\n" not in c.text]
    if not whole:
        return Miss(expected.anchor, "every covering claim crosses a line break",
                    min(queued, key=lambda c: c.end - c.start))
    best = min(whole, key=lambda c: (len(missing_words(c, expected)), c.end - c.start))
    lacking = ", ".join(repr(w) for w in missing_words(best, expected))
    return Miss(expected.anchor, f"statement lacks {lacking}", best)


def summarize(scores: Sequence[ArticleScore], *, resamples: int = RESAMPLES) -> ClaimQuality:
    """Totals over the articles, with the bootstrap interval of the signed-off share."""
    n = len(scores)
    return ClaimQuality(
        articles=list(scores),
        signed_off=sum(s.signed_off for s in scores),
        expected=sum(s.expected for s in scores),
        interval=bootstrap_interval(scores, signed_off_share, resamples=resamples),
        broken=sum(len(s.broken) for s in scores),
        duplicates=sum(len(s.duplicates) for s in scores),
        violated=sum(len(s.violated) for s in scores),
        not_claims=sum(s.not_claims for s in scores),
        queued_per_article=sum(s.queued for s in scores) / n if n else 0.0,
        produced_per_article=sum(s.produced for s in scores) / n if n else 0.0,
        failed=sum(1 for s in scores if s.error is not None),
    )


def signed_off_share(scores: Sequence[ArticleScore]) -> float:
    """Signed-off claims over expected claims (0.0 when nothing is expected)."""
    expected = sum(s.expected for s in scores)
    return sum(s.signed_off for s in scores) / expected if expected else 0.0


def format_claims_report(result: ClaimQuality, *, verbose: bool = False) -> str:
    """The figures, and with ``verbose`` every miss, broken claim, duplicate and violation."""
    low, high = result.interval
    n_broken_lines = sum(1 for s in result.articles for _, r in s.broken if r.startswith("cross"))
    lines = [
        f"Claim quality on {len(result.articles)} articles "
        f"(queued: check-worthiness >= {QUEUE_THRESHOLD})",
        f"  signed off: {result.signed_off}/{result.expected} expected claims "
        f"({100 * result.share:.1f}%; bootstrap 95% interval {100 * low:.1f}-{100 * high:.1f}% "
        f"over articles)",
        f"  broken queued claims: {result.broken} ({n_broken_lines} cross a line break, "
        f"{result.broken - n_broken_lines} cut a name)",
        f"  checkable spans queued twice: {result.duplicates}",
        f"  not-claims queued: {result.violated}/{result.not_claims}",
        f"  queued claims per article: {result.queued_per_article:.1f} "
        f"(all claims produced: {result.produced_per_article:.1f})",
    ]
    if result.failed:
        lines.append(f"  pipeline failed on {result.failed} article(s), scored as no claims: "
                     + ", ".join(s.id for s in result.articles if s.error is not None))
    if verbose:
        lines += _details(result)
    return "\n".join(lines)


def _details(result: ClaimQuality) -> list[str]:
    lines = []
    for score in result.articles:
        if not (score.misses or score.broken or score.duplicates or score.violated
                or score.error):
            continue
        lines.append(f"[{score.id}] signed off {score.signed_off}/{score.expected}, "
                     f"queued {score.queued}")
        if score.error is not None:
            lines.append(f"  pipeline failed: {score.error}")
        for miss in score.misses:
            lines.append(f"  miss {miss.anchor!r}: {miss.reason}")
            if miss.closest is not None:
                lines.append(f"       closest ({miss.closest.checkworthiness:.2f}): "
                             f"{_one_line(miss.closest.statement)}")
        for claim, reason in score.broken:
            lines.append(f"  broken ({reason}): {_one_line(claim.text)}")
        for kind, text in score.duplicates:
            lines.append(f"  queued twice: {kind} {text!r}")
        for text in score.violated:
            lines.append(f"  not-claim queued: {text!r}")
    return lines


def _one_line(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
