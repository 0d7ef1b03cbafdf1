"""Scoring of automatic assessment on the AVeriTeC dev set (gold question-answer evidence).

Pure: the dataset reader, the answers as source documents (question and answer together, so
that "Yes" keeps its meaning), the metrics and the report. ``service/eval/assessment.py``
stores each claim's answers, links the claim against them and scores the verdicts here.
Reported: the confusion matrix of ``verification.auto`` against the gold labels, precision of
``supported`` (gold Supported) and of ``contradicted`` (gold Refuted), coverage (share not
abstaining), and the two harmful errors: true claims marked ``contradicted`` (gold Supported)
and false claims marked ``supported`` (gold Refuted); overall and for Numerical Claims.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

GOLD_LABELS = ("Supported", "Refuted", "Not Enough Evidence", "Conflicting Evidence/Cherrypicking")
AUTO_LABELS = ("supported", "contradicted", "related", "no_evidence")
NUMERICAL = "Numerical Claim"


def read_averitec(dataset_dir: Path) -> list[dict[str, Any]]:
    """The AVeriTeC dev claims as stored (a JSON array of objects)."""
    return list(json.loads((Path(dataset_dir) / "dev.json").read_text(encoding="utf-8")))


def claim_date(item: dict[str, Any]) -> date:
    """The claim's date (DD-MM-YYYY), or today when missing or unreadable."""
    try:
        return datetime.strptime(str(item.get("claim_date") or ""), "%d-%m-%Y").date()
    except ValueError:
        return date.today()


def answer_documents(item: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """One document per non-empty answer: its question and answer as text."""
    docs = []
    for q, question in enumerate(item.get("questions") or []):
        for a, answer in enumerate(question.get("answers") or []):
            text = " ".join(
                str(part).strip() for part in (question.get("question"), answer.get("answer"),
                                               answer.get("boolean_explanation")) if part
            )
            if answer.get("answer_type") == "Unanswerable" or not text:
                continue
            docs.append({"kind": "document", "text": text, "title": question.get("question"),
                         "url": f"averitec-dev:{index}:{q}:{a}",
                         "publisher": _domain(answer.get("source_url"))})
    return docs


def _domain(url: str | None) -> str | None:
    if not url or "//" not in url:
        return None
    return url.split("//", 1)[1].split("/", 1)[0] or None


def decision_figures(autos: Counter[str], *, n: int, right_supported: int,
                     right_contradicted: int) -> dict[str, Any]:
    """Precision of ``supported`` and ``contradicted`` (None when never given), coverage (share
    of the ``n`` claims given one of them) and how many of each, as both reports print them."""
    decided = autos["supported"] + autos["contradicted"]
    return {
        "precision_supported": right_supported / autos["supported"]
        if autos["supported"] else None,
        "precision_contradicted": right_contradicted / autos["contradicted"]
        if autos["contradicted"] else None,
        "coverage": decided / n if n else 0.0,
        "n_supported": autos["supported"],
        "n_contradicted": autos["contradicted"],
    }


def assessment_metrics(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Confusion matrix (gold -> auto -> count), precisions and coverage of (gold, auto) pairs."""
    matrix = {gold: dict.fromkeys(AUTO_LABELS, 0) for gold in GOLD_LABELS}
    for gold, auto in pairs:
        matrix.setdefault(gold, dict.fromkeys(AUTO_LABELS, 0))[auto] += 1
    return {
        "n": len(pairs),
        "matrix": matrix,
        **decision_figures(Counter(auto for _, auto in pairs), n=len(pairs),
                           right_supported=matrix.get("Supported", {}).get("supported", 0),
                           right_contradicted=matrix.get("Refuted", {}).get("contradicted", 0)),
        "true_contradicted": matrix.get("Supported", {}).get("contradicted", 0),
        "false_supported": matrix.get("Refuted", {}).get("supported", 0),
    }


def pct(value: float | None) -> str:
    """A precision as printed: three decimals, or n/a when nothing was decided."""
    return "n/a" if value is None else f"{value:.3f}"


def summary_lines(name: str, m: dict[str, Any], *, indent: str = "  ") -> list[str]:
    """Coverage, the two precisions and the two harmful counts, as both reports print them."""
    return [
        f"{name}: n={m['n']}, coverage {m['coverage']:.3f} "
        f"(supported {m['n_supported']}, contradicted {m['n_contradicted']}), "
        f"precision supported {pct(m['precision_supported'])}, "
        f"contradicted {pct(m['precision_contradicted'])}",
        f"{indent}true claims marked contradicted {m['true_contradicted']}, "
        f"false claims supported {m['false_supported']}",
    ]


def _section(name: str, m: dict[str, Any]) -> list[str]:
    lines = [
        *summary_lines(name, m),
        "  gold \\ auto".ljust(40) + "".join(label.rjust(14) for label in AUTO_LABELS),
    ]
    for gold, row in m["matrix"].items():
        lines.append(f"  {gold}".ljust(40) + "".join(str(row[a]).rjust(14) for a in AUTO_LABELS))
    return lines


def format_assessment_report(result: dict[str, Any]) -> str:
    """The confusion matrices and precisions, overall and for Numerical Claims."""
    mode = "lexical+semantic" if result.get("semantic") else "lexical"
    lines = [f"AVeriTeC dev, gold QA answers as documents ({mode} linking):"]
    lines += _section("overall", result["overall"])
    lines += _section("Numerical Claim", result["numerical"])
    return "\n".join(lines)
