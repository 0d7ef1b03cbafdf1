"""Evaluate automatic assessment on the AVeriTeC dev set, given its gold question-answer evidence.

Requires: the dataset folder (``dev.json``, read in place), a session factory on a migrated
database, an organisation id reserved for the evaluation (its sources are replaced claim by
claim) and a ``Linker``. Each claim's answers are stored as ``document`` sources (question and
answer together, so that "Yes" keeps its meaning), the claim text is run as the statement,
then the claim's sources are deleted. Reported: the confusion matrix of ``verification.auto``
against the gold labels, precision of ``supported`` (gold Supported) and of ``contradicted``
(gold Refuted), and coverage (share not abstaining), overall and for Numerical Claims.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workers.evaluation.matching import claim_from_doc
from workers.evidence.linker import Linker

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


def assessment_metrics(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Confusion matrix (gold -> auto -> count), precisions and coverage of (gold, auto) pairs."""
    matrix = {gold: dict.fromkeys(AUTO_LABELS, 0) for gold in GOLD_LABELS}
    for gold, auto in pairs:
        matrix.setdefault(gold, dict.fromkeys(AUTO_LABELS, 0))[auto] += 1
    autos = Counter(auto for _, auto in pairs)
    right_sup = matrix.get("Supported", {}).get("supported", 0)
    right_con = matrix.get("Refuted", {}).get("contradicted", 0)
    decided = autos["supported"] + autos["contradicted"]
    return {
        "n": len(pairs),
        "matrix": matrix,
        "precision_supported": right_sup / autos["supported"] if autos["supported"] else None,
        "precision_contradicted": right_con / autos["contradicted"]
        if autos["contradicted"] else None,
        "coverage": decided / len(pairs) if pairs else 0.0,
        "n_supported": autos["supported"],
        "n_contradicted": autos["contradicted"],
    }


def _assess_one(item: dict[str, Any], index: int, *, session_factory: Any, org_id: str,
                linker: Linker) -> str:
    """Store the claim's answers, link and assess the claim, delete the answers."""
    from schemas.sources import SourceCreate
    from service.persistence.sources import delete_source, upsert_source
    from service.search import search_passages

    anchor = claim_date(item)
    claim = claim_from_doc(linker.nlp(str(item.get("claim") or "")), anchor)
    with session_factory() as session:
        with session.begin():
            ids = [upsert_source(session, org_id=org_id, source=SourceCreate(**doc))[0].id
                   for doc in answer_documents(item, index)]
        try:
            def search(query: str) -> list[Any]:
                return search_passages(session, org_id=org_id, query=query,
                                       limit=linker.config.candidates)

            _, verification = linker.link(claim, search=search, anchor=anchor)
        finally:
            session.rollback()  # end the read transaction the search opened
            with session.begin():
                for source_id in ids:
                    delete_source(session, org_id=org_id, source_id=source_id)
    return verification.auto


def evaluate_assessment(dataset_dir: Path, *, session_factory: Any, org_id: str, linker: Linker,
                        progress: bool = True) -> dict[str, Any]:
    """Automatic verdicts on AVeriTeC dev against the gold labels, overall and numerical."""
    items = read_averitec(dataset_dir)
    pairs: list[tuple[str, str, bool]] = []
    bar = tqdm(list(enumerate(items)), desc="AVeriTeC dev", disable=not progress,
               file=sys.stderr)
    for index, item in bar:
        auto = _assess_one(item, index, session_factory=session_factory, org_id=org_id,
                           linker=linker)
        pairs.append((str(item.get("label")), auto, NUMERICAL in (item.get("claim_types") or [])))
    return {
        "dataset": "averitec-dev",
        "semantic": linker.config.semantic,
        "overall": assessment_metrics([(g, a) for g, a, _ in pairs]),
        "numerical": assessment_metrics([(g, a) for g, a, numeric in pairs if numeric]),
    }


def _section(name: str, m: dict[str, Any]) -> list[str]:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"{name}: n={m['n']}, coverage {m['coverage']:.3f} "
        f"(supported {m['n_supported']}, contradicted {m['n_contradicted']}), "
        f"precision supported {pct(m['precision_supported'])}, "
        f"contradicted {pct(m['precision_contradicted'])}",
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
