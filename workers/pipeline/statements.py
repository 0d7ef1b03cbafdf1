"""Statement builder: turn a claim unit into a self-contained sentence a fact-checker can search.

Requires: the Doc text and a ``ClaimUnit`` from ``workers.pipeline.clauses``.
Assigns: nothing; returns the statement string.

Decisions:

- Relative units get their antecedent back in place of the pronoun ("Krishna, who took over"
  or "who took over" -> "Krishna took over"; "whose shares" -> "The company's shares").
- Appositive units become copular ("Krishna, IBM's chief executive" -> "Krishna is IBM's
  chief executive"); "are" when the subject looks plural ("and", or a lowercase last word
  ending in "s"), otherwise "is".
- Caller replacements are (start, end, new_text) in doc-text offsets inside the unit; they
  must not overlap each other. If one overlaps the antecedent rewrite, the caller's wins.
- Whitespace runs become one space; the first letter is capitalised; the statement ends with
  exactly one period unless it ends with "?" or "!" (also inside a closing quote).
- Pass ``doc.text`` read once per Doc (spaCy rebuilds it on every access).
- Subjects are named by ``workers.pipeline.references`` (the caller passes its edits).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workers.pipeline.clauses import ClaimUnit

Edit = tuple[int, int, str]

WHITESPACE_RE = re.compile(r"\s+")
RELATIVE_RE = re.compile(r"(who|which|that|whose)\b", re.IGNORECASE)
APPOS_SEP_RE = re.compile(r"[\s,(\[—–-]+")
OPENING_CHARS = "\"'“‘([«¿¡"
CLOSING_CHARS = "\"'”’)]»"
SINGULAR_ENDINGS = ("ss", "us", "is")


def build_statement(doc_text: str, unit: ClaimUnit, *,
                    replacements: Sequence[Edit] = ()) -> str:
    """A self-contained, tidied rewrite of the unit's text."""
    edits = _checked(unit, replacements)
    for edit in _antecedent_edits(doc_text, unit):
        if not any(edit[0] < e and s < edit[1] or s == e == edit[0] for s, e, _ in edits):
            edits.append(edit)
    edits.sort(key=lambda e: (e[0], e[1]))
    pieces: list[str] = []
    pos = unit.start
    for start, end, new_text in edits:
        pieces.append(doc_text[pos:start])
        pieces.append(new_text)
        pos = end
    pieces.append(doc_text[pos:unit.end])
    return _tidy("".join(pieces))


def _checked(unit: ClaimUnit, replacements: Sequence[Edit]) -> list[Edit]:
    """Caller replacements, validated to lie inside the unit and not to overlap."""
    edits = sorted(replacements, key=lambda e: (e[0], e[1]))
    last_end = unit.start
    for start, end, _ in edits:
        if not unit.start <= start <= end <= unit.end:
            raise ValueError(f"replacement {start}-{end} is outside unit {unit.start}-{unit.end}")
        if start < last_end:
            raise ValueError(f"replacement {start}-{end} overlaps another replacement")
        last_end = end
    return list(edits)


def _antecedent_edits(doc_text: str, unit: ClaimUnit) -> list[Edit]:
    """Edits that put the antecedent back into a relative or appositive unit."""
    subject = unit.subject
    if not subject or unit.kind not in ("relative", "appositive"):
        return []
    text = doc_text[unit.start:unit.end]
    has_subject = text.startswith(subject)
    after = len(subject) if has_subject else 0
    sep = APPOS_SEP_RE.match(text, after)
    pos = sep.end() if sep else after
    if unit.kind == "relative":
        match = RELATIVE_RE.match(text, pos)
        if match is None:
            return []
        owner = "'s" if match.group(1).lower() == "whose" else ""
        if has_subject:
            return [(unit.start + after, unit.start + match.end(), owner)]
        return [(unit.start, unit.start + match.end(), subject + owner)]
    verb = _copula(subject)
    if not has_subject:
        return [(unit.start, unit.start, f"{subject} {verb} ")]
    if sep is None:
        return []
    edits = [(unit.start + after, unit.start + pos, f" {verb} ")]
    if "(" in sep.group() and text.endswith(")"):
        edits.append((unit.end - 1, unit.end, ""))
    return edits


def _copula(subject: str) -> str:
    """ "are" for a subject that looks plural, else "is"."""
    words = subject.split()
    last = words[-1] if words else ""
    plural = "and" in words or (
        last.islower() and last.endswith("s") and not last.endswith(SINGULAR_ENDINGS)
    )
    return "are" if plural else "is"


def _tidy(text: str) -> str:
    """Collapse whitespace, capitalise the first letter, end with one period."""
    text = WHITESPACE_RE.sub(" ", text).strip().rstrip(" ,;:-–—")
    if not text:
        return ""
    lead = len(text) - len(text.lstrip(OPENING_CHARS))
    if lead < len(text) and text[lead].islower():
        text = text[:lead] + text[lead].upper() + text[lead + 1:]
    core = text.rstrip(CLOSING_CHARS)
    if core.endswith(("?", "!")):
        return text
    if core != text and core.endswith((".", "…")):
        return text
    return text.rstrip(".…").rstrip(" ,;:-–—") + "."
