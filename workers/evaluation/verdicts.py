"""Automatic verdicts against the verdict set written for the tests (``tests/data/verdicts``).

Requires: the set's cases (an article, the evidence to load, and per anchor the verdict a
fact-checker would give and the claim's truth) and, per anchor, the verdicts the service gave
the extracted claims that cover it. Assigns: nothing; reads the set, computes the figures and
formats the report. No service, database or queue: ``service/eval/verdicts.py`` runs the cases
through the store, the pipeline and the linker.

Definitions (a *check* is one anchor of one case; its *claims* are every extracted claim that
covers the anchor, ``claim.start <= anchor start`` and ``anchor end <= claim.end``: an
attribution and its content are both checked):

- not extracted: a check no claim covers. It has no verdict and is left out of the figures below.
- right: a claim whose verdict is the expected one; ``related`` and ``no_evidence`` are both
  abstentions, and either is right when the check expects one of them.
- precision of supported: of the claims given ``supported``, the share whose check expects
  ``supported``; of contradicted likewise.
- coverage: the share of checked claims given ``supported`` or ``contradicted``.
- true claims contradicted: claims of checks whose truth is ``true`` given ``contradicted``
  (the worst error); false claims supported: truth ``false`` given ``supported``.
- siblings disagree: checks whose claims (two or more) did not all get the same verdict.
- checks right: checks with at least one claim, every one of them right.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from schemas.sources import SourceCreate
from workers.evaluation.assessment import decision_figures, summary_lines

FILE_PATTERN = "cases-*.json"
VERDICTS = ("supported", "contradicted", "related", "no_evidence")
ABSTAIN = frozenset({"related", "no_evidence"})
TRUTHS = ("true", "false", "unknown")
# What each shape tests: the set's README.
SHAPES = (
    "yearly_series", "different_things", "event_date_vs_data_year", "since_year",
    "target_vs_actual", "earlier_value", "comparator_rounding", "fact_check_same_claim",
    "fact_check_nearby_claim", "attribution", "plain_true", "plain_false", "unrelated_evidence",
)
_CASE_FIELDS = {"id", "shape", "domain", "published_at", "text", "sources", "checks"}
_CHECK_FIELDS = {"anchor", "verdict", "truth", "why"}


class VerdictDatasetError(ValueError):
    """A case of the verdict set is malformed."""


@dataclass(frozen=True)
class Check:
    """One anchor of a case and what a fact-checker would say about the claims covering it."""

    anchor: str
    verdict: str
    truth: str
    why: str


@dataclass(frozen=True)
class Case:
    """An article, the evidence to load before linking it, and its checks."""

    id: str
    shape: str
    domain: str
    published_at: date
    text: str
    sources: tuple[SourceCreate, ...]
    checks: tuple[Check, ...]

    def find(self, anchor: str) -> tuple[int, int]:
        """Offsets of ``anchor`` in the text (the reader keeps anchors unique)."""
        start = self.text.find(anchor)
        if start < 0:
            raise VerdictDatasetError(f"{self.id}: {anchor!r} is not in the text")
        return start, start + len(anchor)


@dataclass(frozen=True)
class ClaimVerdict:
    """What the service said about one claim covering an anchor."""

    statement: str
    auto: str
    reason: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """A check and the verdicts of every claim covering its anchor (none: not extracted)."""

    case_id: str
    shape: str
    check: Check
    claims: tuple[ClaimVerdict, ...]

    def right(self, claim: ClaimVerdict) -> bool:
        expected = self.check.verdict
        return claim.auto in ABSTAIN if expected in ABSTAIN else claim.auto == expected

    @property
    def all_right(self) -> bool:
        return bool(self.claims) and all(self.right(c) for c in self.claims)

    @property
    def siblings_disagree(self) -> bool:
        return len({c.auto for c in self.claims}) > 1


class HasRange(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


Ranged = TypeVar("Ranged", bound=HasRange)


def covering(claims: Iterable[Ranged], start: int, end: int) -> list[Ranged]:
    """The claims whose range holds ``start:end``."""
    return [c for c in claims if c.start <= start and end <= c.end]


def is_verdicts_dir(dataset_dir: Path) -> bool:
    """True when the folder holds the verdict set's ``cases-*.json`` files."""
    return any(Path(dataset_dir).glob(FILE_PATTERN))


def read_cases(dataset_dir: Path) -> list[Case]:
    """Every case of every ``cases-*.json`` file (a JSON array each), checked field by field.

    :raise VerdictDatasetError: a file or case is malformed; the message names both.
    """
    cases: list[Case] = []
    seen: set[str] = set()
    for path in sorted(Path(dataset_dir).glob(FILE_PATTERN)):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise VerdictDatasetError(f"{path.name}: not JSON ({exc})") from None
        if not isinstance(items, list):
            raise VerdictDatasetError(f"{path.name}: expected a JSON array of cases")
        for index, item in enumerate(items):
            label = f"{path.name}: case {index + 1}"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = f"{path.name}: case {item['id']!r}"
            case = parse_case(item, label)
            if case.id in seen:
                raise VerdictDatasetError(f"{label}: the id is used twice")
            seen.add(case.id)
            cases.append(case)
    return cases


def parse_case(item: Any, label: str = "case") -> Case:
    """One case from its JSON object. :raise VerdictDatasetError: what is wrong, and where."""
    if not isinstance(item, dict):
        raise VerdictDatasetError(f"{label}: expected an object")
    _fields(item, _CASE_FIELDS, label)
    for key in ("id", "domain", "text"):
        _text(item[key], f"{label}: {key!r}")
    if item["shape"] not in SHAPES:
        raise VerdictDatasetError(f"{label}: unknown shape {item['shape']!r}; one of "
                                  f"{', '.join(SHAPES)}")
    try:
        published = date.fromisoformat(str(item["published_at"]))
    except ValueError:
        raise VerdictDatasetError(f"{label}: 'published_at' must be YYYY-MM-DD") from None
    if not isinstance(item["sources"], list):
        raise VerdictDatasetError(f"{label}: 'sources' must be a list")
    if not isinstance(item["checks"], list) or not item["checks"]:
        raise VerdictDatasetError(f"{label}: 'checks' must be a non-empty list")
    sources = tuple(_source(s, f"{label}: source {n + 1}") for n, s in enumerate(item["sources"]))
    checks = tuple(_check(c, item["text"], f"{label}: check {n + 1}")
                   for n, c in enumerate(item["checks"]))
    return Case(id=item["id"], shape=item["shape"], domain=item["domain"],
                published_at=published, text=item["text"], sources=sources, checks=checks)


def _fields(item: dict[str, Any], wanted: set[str], label: str) -> None:
    missing, extra = wanted - item.keys(), item.keys() - wanted
    if missing:
        raise VerdictDatasetError(f"{label}: missing {', '.join(sorted(missing))}")
    if extra:
        raise VerdictDatasetError(f"{label}: unknown field {', '.join(sorted(extra))}")


def _text(value: Any, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VerdictDatasetError(f"{label} must be a non-empty string")
    return value


def _source(item: Any, label: str) -> SourceCreate:
    try:
        return SourceCreate.model_validate(item)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'source'}: {e['msg']}"
                             for e in exc.errors())
        raise VerdictDatasetError(f"{label}: {problems}") from None


def _check(item: Any, text: str, label: str) -> Check:
    if not isinstance(item, dict):
        raise VerdictDatasetError(f"{label}: expected an object")
    _fields(item, _CHECK_FIELDS, label)
    anchor = _text(item["anchor"], f"{label}: 'anchor'")
    if text.count(anchor) != 1:
        where = "is not in" if anchor not in text else "occurs more than once in"
        raise VerdictDatasetError(f"{label}: anchor {anchor!r} {where} the text")
    if item["verdict"] not in VERDICTS:
        raise VerdictDatasetError(f"{label}: verdict {item['verdict']!r} is not one of "
                                  f"{', '.join(VERDICTS)}")
    if item["truth"] not in TRUTHS:
        raise VerdictDatasetError(f"{label}: truth {item['truth']!r} is not one of "
                                  f"{', '.join(TRUTHS)}")
    return Check(anchor=anchor, verdict=item["verdict"], truth=item["truth"],
                 why=_text(item["why"], f"{label}: 'why'"))


def verdict_metrics(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The figures of the module docstring, plus expected -> auto counts over checked claims."""
    checked = [(r, c) for r in results for c in r.claims]
    matrix = {expected: dict.fromkeys(VERDICTS, 0) for expected in VERDICTS}
    for r, c in checked:
        matrix[r.check.verdict][c.auto] += 1
    return {
        "n": len(checked),
        "checks": len(results),
        "extracted": sum(1 for r in results if r.claims),
        "not_extracted": sum(1 for r in results if not r.claims),
        "checks_right": sum(1 for r in results if r.all_right),
        "claims_right": sum(1 for r, c in checked if r.right(c)),
        **decision_figures(Counter(c.auto for _, c in checked), n=len(checked),
                           right_supported=matrix["supported"]["supported"],
                           right_contradicted=matrix["contradicted"]["contradicted"]),
        "true_contradicted": sum(1 for r, c in checked
                                 if r.check.truth == "true" and c.auto == "contradicted"),
        "false_supported": sum(1 for r, c in checked
                               if r.check.truth == "false" and c.auto == "supported"),
        "siblings_disagree": sum(1 for r in results if r.siblings_disagree),
        "matrix": matrix,
        "by_shape": _by_shape(results),
    }


def _by_shape(results: Sequence[CheckResult]) -> dict[str, tuple[int, int, int]]:
    """Per shape: checks right, checks extracted, checks."""
    out: dict[str, tuple[int, int, int]] = {}
    for shape in [s for s in SHAPES if any(r.shape == s for r in results)]:
        mine = [r for r in results if r.shape == shape]
        out[shape] = (sum(r.all_right for r in mine), sum(bool(r.claims) for r in mine),
                      len(mine))
    return out


def format_verdicts_report(result: dict[str, Any], *, verbose: bool = False) -> str:
    """The figures, the expected -> auto counts, per-shape results; ``verbose``: every miss."""
    m = result["metrics"]
    mode = "lexical+semantic" if result.get("semantic") else "lexical"
    lines = [
        f"Verdict set {result['dataset']}: {result['cases']} cases, {m['checks']} anchors "
        f"({mode} linking)",
        *summary_lines("claims checked", m, indent=""),
        f"anchors: right {m['checks_right']}/{m['extracted']} extracted, "
        f"siblings disagree {m['siblings_disagree']}, not extracted {m['not_extracted']}",
        "  expected \\ auto".ljust(24) + "".join(v.rjust(14) for v in VERDICTS),
    ]
    for expected, row in m["matrix"].items():
        lines.append(f"  {expected}".ljust(24) + "".join(str(row[v]).rjust(14) for v in VERDICTS))
    lines.append("  by shape (anchors right / extracted / all):")
    for shape, (right, extracted, total) in m["by_shape"].items():
        lines.append(f"    {shape}".ljust(30) + f"{right}/{extracted}/{total}")
    if verbose:
        lines += _misses(result["results"])
    return "\n".join(lines)


def _misses(results: Sequence[CheckResult]) -> list[str]:
    lines = ["wrong or not extracted:"]
    for r in results:
        if r.all_right:
            continue
        head = (f"  [{r.case_id}] {r.check.anchor!r}: expected {r.check.verdict} "
                f"(truth {r.check.truth})")
        if not r.claims:
            lines.append(head + "; no claim covers the anchor")
            continue
        lines.append(head + (" -- siblings disagree" if r.siblings_disagree else ""))
        for c in r.claims:
            mark = "ok " if r.right(c) else "BAD"
            lines.append(f"    {mark} {c.auto}: {c.statement}")
            lines.append(f"        reason: {c.reason or '(none)'}")
    return lines
