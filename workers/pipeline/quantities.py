"""Quantity normalizer: finds amounts, money, percentages and ranges in parsed text.

Requires: a parsed spaCy Doc or Span (token pos_, tag_, dep_, head, lemma_, ent_type_).
Assigns: nothing on the Doc; returns Quantity records with offsets into doc.text.

Tokens are read directly; spaCy's entity labels only help drop dates, times and names
("in 2019", "April 2020", "5 years ago", "Windows 10"), in ``quantity_filters.py``.
Normalization choices:
- a sign or "minus" makes an amount negative ("-5 degrees", "−3.2bn", "minus 12");
- "2 or 3 percent" is a range like "2-3 percent";
- proportions are percentages: "one in five adults" is 20 "%" (the population noun is
  part of the span), "half of voters" is 50 "%" (span "half"), "two-thirds" 66.6667 "%",
  "a quarter less grain" and "a third fewer days" 25 and 33.3333 "%";
- a symbol the tokenizer left glued to its digits is read ("NZ$8.40" is 8.4 "NZD");
- "percentage points" and "pp" give unit "pp"; "basis points" give unit "bp";
- "nearly", "almost" and "just under" read as "<"; "about", "around", "roughly" as "~";
- a counted amount's unit is its head noun as written, lowercased ("images");
  a glued measure keeps its symbol ("5m" high -> "m"), but "5m users" is five million;
- "rose from 3 to 5 million dollars" is a change: two spans, and the first takes the
  scale and unit of the second; "rose 12 percent to $3.4 billion" is two spans too;
- counts said without a figure are lower bounds of twice their base: "dozens of people"
  is ">=" 24 "people", "tens of thousands" ">=" 20,000, "thousands" ">=" 2,000; "a score
  of protesters" is 20 (but "a score of 85" and "test scores" are not counts);
- hundredths of money are money: "40 cents" is 0.4 "USD" (or the dollar or euro the
  sentence names: "€1.20, up 5 cents" is 0.05 "EUR"), "99 pence" and "50p" 0.99 and 0.5
  "GBP" ("1080p" is a video resolution);
- a vote tally is two spans with unit "votes", one per side ("voted 5-4": "5" and "4");
  see ``tallies.py`` for why, and for what is not a tally.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from workers.pipeline.numtables import (
    CHANGE_VERBS,
    COMPARATORS,
    CURRENCY_SYMBOLS,
    HYPHENS,
    ISO_CODES,
    MINUS_SIGNS,
    POSTFIX_COMPARATORS,
    SMALL,
    TENS,
    VAGUE_COUNTS,
)
from workers.pipeline.numwords import (
    Candidate,
    currency_word_at,
    glued_currency,
    percent_unit_at,
    read_amount,
    read_comparator,
    read_proportion,
    read_vague_count,
    subunit_money_at,
)
from workers.pipeline.quantity_filters import is_reportable
from workers.pipeline.tallies import read_tally

START_WORDS = frozenset(
    {*COMPARATORS, *SMALL, *TENS, *CURRENCY_SYMBOLS, *VAGUE_COUNTS, "a", "an", "half",
     "between", "from", "minus"}
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity phrase with its normalized value."""

    start: int
    end: int
    value: float
    upper: float | None
    unit: str | None
    comparator: str

    def normalized(self) -> dict[str, float | str | None]:
        """Return the claim record's `normalized` object for this quantity."""
        return {
            "value": self.value,
            "upper": self.upper,
            "unit": self.unit,
            "comparator": self.comparator,
        }


def find_quantities(span: Doc | Span) -> list[Quantity]:
    """Return the quantities in a parsed Doc or Span, in text order."""
    if isinstance(span, Doc):
        doc, i, hi = span, 0, len(span)
    else:
        doc, i, hi = span.doc, span.start, span.end
    found: list[Quantity] = []
    while i < hi:
        tok = doc[i]
        tally = read_tally(doc, i, hi) if tok.text[:1].isdigit() else None
        if tally is not None:
            found.extend(Quantity(start, end, value, None, "votes", "=")
                         for start, end, value in tally.sides)
            i = tally.end
            continue
        cand = None
        if _may_start(tok):
            cand = _parse_at(doc, i, hi)
        if cand is None:
            i += 1
            continue
        found.append(_to_quantity(doc, cand))
        i = cand.end
    return found


def _may_start(tok: Token) -> bool:
    """Say whether a quantity can start at this token (a digit, a sign or a start word)."""
    text = tok.text
    if text[:1].isdigit() or tok.lower_ in START_WORDS or text in ISO_CODES:
        return True
    if glued_currency(text) is not None:  # "NZ$8.40"
        return True
    return text[:1] in MINUS_SIGNS and text[1:2].isdigit()


def _to_quantity(doc: Doc, cand: Candidate) -> Quantity:
    """Turn a finished candidate into a Quantity with character offsets."""
    last = doc[cand.end - 1]
    end = last.idx + len(last.text)
    if last.text[-1] == "." and cand.end == cand.num_end and cand.scale != 1.0:
        end -= 1  # the full stop of "$5m." is not part of the amount
    upper = None if cand.upper is None else _tidy(cand.upper)
    return Quantity(
        start=doc[cand.start].idx,
        end=end,
        value=_tidy(cand.value),
        upper=upper,
        unit=cand.unit,
        comparator=cand.comparator,
    )


def _tidy(value: float) -> float:
    """Drop binary noise such as 3399999999.9999995 for 3.4 billion."""
    return float(f"{value:.12g}")


def _parse_at(doc: Doc, i: int, hi: int) -> Candidate | None:
    """Read a quantity starting at token i, or return None."""
    if doc[i].lower_ in ("between", "from"):
        return _parse_prefixed_range(doc, i, hi)
    if doc[i].lower_ == "minus":
        return _parse_minus(doc, i, hi)
    comparator, j = read_comparator(doc, i, hi)
    if j >= hi:
        return None
    cand = read_proportion(doc, j, hi) or _parse_amount(doc, j, hi, None)
    cand = cand or _parse_vague(doc, j, hi)
    if cand is None:
        return None
    if j != i:
        cand.start = i
        if cand.comparator == "=":
            cand.comparator = comparator
    return cand if is_reportable(doc, cand) else None


def _parse_vague(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read "dozens of people", "millions of dollars", "a score of protesters"."""
    cand = read_vague_count(doc, j, hi)
    if cand is not None and cand.end + 1 < hi and doc[cand.end].lower_ == "of":
        after = _read_unit(doc, cand, cand.end + 1, hi)
        cand.end = after if after > cand.end + 1 else cand.end
    return cand


def _parse_minus(doc: Doc, i: int, hi: int) -> Candidate | None:
    """Read "minus 12 degrees" as -12 (a single amount, not a range)."""
    cand = _parse_amount(doc, i + 1, hi, None) if i + 1 < hi else None
    if cand is None or cand.upper is not None or cand.value < 0:
        return None
    cand.value, cand.start = -cand.value, i
    return cand if is_reportable(doc, cand) else None


def _parse_prefixed_range(doc: Doc, i: int, hi: int) -> Candidate | None:
    """Read "between X and Y" or "from X to Y" (not "rose from X to Y", a change)."""
    word = doc[i].lower_
    if word == "from" and doc[i].head.lemma_ in CHANGE_VERBS:
        return None
    cand = _parse_amount(doc, i + 1, hi, "and" if word == "between" else "to")
    if cand is None or cand.upper is None or not is_reportable(doc, cand):
        return None
    cand.start = i
    return cand


def _parse_amount(doc: Doc, j: int, hi: int, connector: str | None) -> Candidate | None:
    """Read money or a number, an optional range, comparator suffix and unit."""
    cand = read_amount(doc, j, hi)
    if cand is None:
        return None
    k = _read_percent(doc, cand, cand.end, hi)
    k = _read_range(doc, cand, k, hi, connector)
    if connector is not None and cand.upper is None:
        return None
    k = _read_postfix(doc, cand, k, hi)
    k = _read_unit(doc, cand, k, hi)
    cand.end = _read_postfix(doc, cand, k, hi)
    return cand


def _read_range(doc: Doc, cand: Candidate, k: int, hi: int, connector: str | None) -> int:
    """Extend the candidate with an upper bound ("3-5 million", "3 to 5", "3% and 5%")."""
    if k + 1 >= hi or cand.upper is not None:
        return k
    tok = doc[k]
    if connector is None and cand.start > 0 and _is_change_from(doc[cand.start - 1]):
        if tok.lower_ == "to":
            _inherit_scale_and_unit(doc, cand, k + 1, hi)
        return k
    if connector is not None:
        linked = tok.lower_ == connector
    else:
        linked = tok.text in HYPHENS or (tok.lower_ == "to" and tok.head.lemma_ not in CHANGE_VERBS)
        linked = linked or (tok.lower_ == "or" and cand.unit is None)  # "2 or 3 percent"
    upper = read_amount(doc, k + 1, hi) if linked else None
    if upper is None:
        return k
    end = _read_percent(doc, upper, upper.end, hi)
    if cand.unit and upper.unit and cand.unit != upper.unit:
        return k
    lower = cand.value * (upper.scale if cand.scale == 1.0 else 1.0)
    if upper.value <= lower:
        return k
    cand.value, cand.upper = lower, upper.value
    cand.scale = upper.scale if cand.scale == 1.0 else cand.scale
    cand.unit = cand.unit or upper.unit
    cand.currency = cand.currency or upper.currency
    cand.end = cand.num_end = upper.num_end
    return end


def _is_change_from(tok: Token) -> bool:
    """Say whether a token is the "from" of a change ("rose from 3% to 5%")."""
    return tok.lower_ == "from" and tok.head.lemma_ in CHANGE_VERBS


def _inherit_scale_and_unit(doc: Doc, cand: Candidate, k: int, hi: int) -> None:
    """Give "3" in "rose from 3 to 5 million dollars" the scale and unit of the target."""
    target = _parse_amount(doc, k, hi, None) if k < hi else None
    if target is None:
        return
    if cand.scale == 1.0 and target.scale != 1.0:
        cand.scale_by(target.scale)
    if cand.unit is None and target.unit is not None:
        cand.unit, cand.currency = target.unit, target.currency


def _read_percent(doc: Doc, cand: Candidate, k: int, hi: int) -> int:
    """Read "%", "per cent", "percentage points" or "basis points" after an amount."""
    if cand.currency or k >= hi:
        return k
    found = percent_unit_at(doc, k, hi)
    if found is None or (cand.unit is not None and cand.unit != found[0]):
        return k
    cand.unit = found[0]
    return found[1]


def _read_postfix(doc: Doc, cand: Candidate, k: int, hi: int) -> int:
    """Read "or more", "or fewer", "-plus" or "+" after an amount."""
    if k >= hi or cand.comparator != "=":
        return k
    word = doc[k].lower_
    if word == "+" and doc[k - 1].whitespace_ == "":
        cand.comparator = ">="
        return k + 1
    if k + 1 < hi and (word == "or" or word in HYPHENS):
        nxt = doc[k + 1].lower_
        comparator = POSTFIX_COMPARATORS.get(nxt) if word == "or" else None
        if word in HYPHENS and nxt == "plus":
            comparator = ">="
        if comparator is not None:
            cand.comparator = comparator
            return k + 2
    return k


def _read_unit(doc: Doc, cand: Candidate, k: int, hi: int) -> int:
    """Read the unit after an amount: percent, a currency word, or the counted noun."""
    if cand.currency or k >= hi:
        return k
    after = _read_percent(doc, cand, k, hi)
    if after != k or cand.unit is not None:
        return after
    hundredths = subunit_money_at(doc, k, hi)
    if hundredths is not None:
        cand.scale_by(0.01)  # "40 cents" is 0.40 of its currency
    money = hundredths or currency_word_at(doc, k, hi)
    if money is not None:
        cand.unit, cand.currency = money[0], True
        return money[1]
    glued = doc[k]
    if k == cand.num_end and doc[k - 1].whitespace_ == "" and glued.is_alpha:
        cand.unit = glued.lower_  # a glued measure unit: "5m", "20kg"
        return k + 1
    noun = _counted_noun(doc, cand, k, hi)
    if noun is None:
        return k
    end = noun.i + 1
    while (
        end + 1 < hi
        and doc[end].text in HYPHENS
        and doc[end + 1].is_alpha
        and not (doc[end - 1].whitespace_ or doc[end].whitespace_)
    ):
        end += 2  # a hyphenated noun: "e-mails"
    cand.unit = doc[noun.i : end].text.lower()  # not doc.text: rebuilt on every access
    return end


def _counted_noun(doc: Doc, cand: Candidate, k: int, hi: int) -> Token | None:
    """Return the noun counted by the amount ("images" in "3 billion new images")."""
    number = doc[cand.num_end - 1]
    stop = min(k + 3, hi)
    for m in range(k, stop):
        tok = doc[m]
        if tok.pos_ == "NOUN" or tok.tag_ == "NNPS":
            head = tok
            while head.dep_ == "compound" and m < head.head.i < stop:
                head = head.head
            if number.head.i == head.i or (m == k and head.i == m) or _of_object(doc, head, k):
                return head
            return None
        if tok.pos_ not in ("ADJ", "PROPN"):
            return None
    return None


def _of_object(doc: Doc, noun: Token, k: int) -> bool:
    """Say whether the noun is the object of an "of" just before k ("dozens of young people")."""
    return k > 0 and doc[k - 1].lower_ == "of" and noun.head.i == k - 1
