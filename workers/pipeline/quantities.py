"""Quantity normalizer: finds amounts, money, percentages and ranges in parsed text.

Requires: a parsed spaCy Doc or Span (token pos_, tag_, dep_, head, ent_type_).
Assigns: nothing on the Doc; returns Quantity records with offsets into doc.text.

spaCy's entity labels are not used to find quantities, only to drop dates, times and
names ("in 2019", "April 2020", "Windows 10"). Normalization choices:
- proportions are percentages: "one in five adults" is 20 "%" (the population noun is
  part of the span), "half of voters" is 50 "%", "two-thirds of" is 66.6667 "%";
- "percentage points" and "pp" give unit "pp"; "basis points" give unit "bp";
- "nearly", "almost" and "just under" read as "<"; "about", "around", "roughly" as "~";
- the unit of a counted amount is its head noun as written, lowercased ("images").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from workers.pipeline.numwords import (
    CHANGE_VERBS,
    COMPARATORS,
    CURRENCY_SCALES,
    CURRENCY_SYMBOLS,
    FRACTIONS,
    HYPHENS,
    ISO_CODES,
    MULTIPLIERS,
    POSTFIX_COMPARATORS,
    RANGE_TOKEN_RE,
    SCALES,
    SMALL,
    SUFFIXED_RE,
    TENS,
    TIME_NOUNS,
    TIME_WORDS,
    currency_word_at,
    is_id_like,
    is_year_like,
    parse_number,
    percent_unit_at,
    read_comparator,
    read_word_number,
)

START_WORDS = frozenset(
    {*COMPARATORS, *SMALL, *TENS, *CURRENCY_SYMBOLS, "a", "an", "half", "between", "from"}
)
PROPORTION_UNITS = frozenset({"%", "pp", "bp"})
BARE_OK_ENTS = frozenset({"", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


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


@dataclass(slots=True)
class Candidate:
    """A quantity being read, in token indices."""

    start: int
    end: int
    core: int
    value: float
    upper: float | None = None
    unit: str | None = None
    comparator: str = "="
    scale: float = 1.0
    currency: bool = False
    num_end: int = 0
    suffix: str = ""

    def scale_by(self, factor: float) -> None:
        """Multiply the value (and the upper bound) by a scale factor."""
        self.value *= factor
        if self.upper is not None:
            self.upper *= factor
        self.scale *= factor


def find_quantities(span: Doc | Span) -> list[Quantity]:
    """Return the quantities in a parsed Doc or Span, in text order."""
    if isinstance(span, Doc):
        doc, i, hi = span, 0, len(span)
    else:
        doc, i, hi = span.doc, span.start, span.end
    found: list[Quantity] = []
    while i < hi:
        tok = doc[i]
        cand = None
        if tok.text[:1].isdigit() or tok.lower_ in START_WORDS or tok.text in ISO_CODES:
            cand = _parse_at(doc, i, hi)
        if cand is None:
            i += 1
            continue
        found.append(_to_quantity(doc, cand))
        i = cand.end
    return found


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
    comparator, j = read_comparator(doc, i, hi)
    if j >= hi:
        return None
    cand = _parse_proportion(doc, j, hi) or _parse_amount(doc, j, hi, None)
    if cand is None or not _is_reportable(doc, cand):
        return None
    if comparator != "=" or j != i:
        cand.start = i
        if cand.comparator == "=":
            cand.comparator = comparator
    return cand


def _parse_prefixed_range(doc: Doc, i: int, hi: int) -> Candidate | None:
    """Read "between X and Y" or "from X to Y" (not "rose from X to Y", a change)."""
    word = doc[i].lower_
    if word == "from" and doc[i].head.lemma_ in CHANGE_VERBS:
        return None
    cand = _parse_amount(doc, i + 1, hi, "and" if word == "between" else "to")
    if cand is None or cand.upper is None or not _is_reportable(doc, cand):
        return None
    cand.start = i
    return cand


def _parse_amount(doc: Doc, j: int, hi: int, connector: str | None) -> Candidate | None:
    """Read money or a number, an optional range, comparator suffix and unit."""
    cand = _read_money_or_number(doc, j, hi)
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


def _read_money_or_number(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read an optional currency prefix, a number and its scale word."""
    tok = doc[j]
    code = CURRENCY_SYMBOLS.get(tok.lower_) or (tok.text if tok.text in ISO_CODES else None)
    k = j + 1 if code else j
    if k >= hi:
        return None
    cand = _read_number(doc, k, hi)
    if cand is None:
        return None
    cand.start = j
    if code:
        cand.unit, cand.currency = code, True
    if not _read_scale(doc, cand, hi):
        return None
    cand.num_end = cand.end
    return cand


def _read_number(doc: Doc, k: int, hi: int) -> Candidate | None:
    """Read digits ("3,400", "3.4bn", "3–5") or number words ("twenty-one") at token k."""
    text = doc[k].text
    if not text[:1].isdigit():
        words = read_word_number(doc, k, hi)
        return None if words is None else Candidate(k, words[1], k, words[0])
    value = parse_number(text)
    if value is not None:
        return Candidate(k, k + 1, k, value)
    match = RANGE_TOKEN_RE.match(text)
    if match is not None:
        low, high = parse_number(match.group(1)), parse_number(match.group(2))
        if low is None or high is None or high <= low:
            return None
        return Candidate(k, k + 1, k, low, upper=high)
    match = SUFFIXED_RE.match(text)
    if match is None:
        return None
    return Candidate(k, k + 1, k, float(match.group(1).replace(",", "")), suffix=match.group(2))


def _read_scale(doc: Doc, cand: Candidate, hi: int) -> bool:
    """Apply a scale suffix or word ("bn", "million", "k" after "$50"); False if invalid."""
    if cand.suffix:
        suffix = cand.suffix.lower()
        factor = SCALES.get(suffix) or (CURRENCY_SCALES.get(suffix) if cand.currency else None)
        if factor is None:
            return False
        cand.scale_by(factor)
        return True
    if cand.end >= hi:
        return True
    word = doc[cand.end].lower_
    if word[-1:] == "." and len(word) > 1:
        word = word[:-1]  # "$5m." at the end of a sentence
    attached = doc[cand.end - 1].whitespace_ == ""
    factor = SCALES.get(word) if word != "k" or attached else None
    if factor is None and cand.currency:
        factor = CURRENCY_SCALES.get(word)
    if factor is None and doc[cand.end - 1].text[:1].isdigit():
        factor = MULTIPLIERS.get(word)
    if factor is not None:
        cand.scale_by(factor)
        cand.end += 1
    return True


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
        linked = tok.text in HYPHENS or (
            tok.lower_ == "to" and tok.head.lemma_ not in CHANGE_VERBS
        )
    upper = _read_money_or_number(doc, k + 1, hi) if linked else None
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
    money = currency_word_at(doc, k, hi)
    if money is not None:
        cand.unit, cand.currency = money[0], True
        return money[1]
    noun = _counted_noun(doc, cand, k, hi)
    if noun is None:
        return k
    cand.unit = noun.lower_
    return noun.i + 1


def _counted_noun(doc: Doc, cand: Candidate, k: int, hi: int) -> Token | None:
    """Return the noun counted by the amount ("images" in "3 billion new images")."""
    number = doc[cand.num_end - 1]
    for m in range(k, min(k + 3, hi)):
        tok = doc[m]
        if tok.pos_ == "NOUN" or tok.tag_ == "NNPS":
            while tok.dep_ == "compound" and m < tok.head.i < min(k + 3, hi):
                tok = tok.head
            if tok.pos_ in ("NOUN", "PROPN") and (m == k or number.head.i == tok.i):
                return tok
            return None
        if tok.pos_ not in ("ADJ", "PROPN"):
            return None
    return None


def _parse_proportion(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read "half of", "two-thirds of" or "one in five adults" as a percentage."""
    if doc[j].lower_ == "half":
        if j + 1 < hi and doc[j + 1].lower_ in ("of", "the") and not _of_time(doc, j + 1, hi):
            return Candidate(j, j + 1, j, 50.0, unit="%", num_end=j + 1)
        return None
    count = _read_count(doc, j, hi)
    if count is None:
        return None
    value, k = count
    if k < hi and doc[k].text in HYPHENS:
        k += 1
    if k + 1 < hi and doc[k].lower_ in FRACTIONS and doc[k + 1].lower_ in ("of", "the"):
        parts = FRACTIONS[doc[k].lower_]
        if value >= parts or doc[k].ent_type_ in ("DATE", "TIME") or _of_time(doc, k + 1, hi):
            return None
        return Candidate(j, k + 1, j, 100.0 * value / parts, unit="%", num_end=k + 1)
    return _parse_ratio(doc, j, value, count[1], hi)


def _of_time(doc: Doc, k: int, hi: int) -> bool:
    """Say whether "of"/"the" at k leads to a time noun ("a quarter of an hour")."""
    for m in range(k + 1, min(k + 3, hi)):
        if doc[m].pos_ != "DET":
            return doc[m].lemma_ in TIME_NOUNS
    return False


def _read_count(doc: Doc, j: int, hi: int) -> tuple[float, int] | None:
    """Read a small count: "a", digits or number words."""
    word = doc[j].lower_
    if word in ("a", "an"):
        return 1.0, j + 1
    value = parse_number(doc[j].text)
    if value is not None:
        return value, j + 1
    return read_word_number(doc, j, hi) if word in SMALL or word in TENS else None


def _parse_ratio(doc: Doc, j: int, count: float, k: int, hi: int) -> Candidate | None:
    """Read "one in five (adults)", "nine out of ten (doctors)"."""
    if doc[j].lower_ in ("a", "an") or k + 1 >= hi:
        return None
    if doc[k].lower_ == "in":
        k += 1
    elif doc[k].lower_ == "out" and doc[k + 1].lower_ == "of":
        k += 2
    else:
        return None
    if k < hi and doc[k].lower_ == "every":
        k += 1
    whole = _read_money_or_number(doc, k, hi) if k < hi else None
    if whole is None or whole.currency or whole.value <= count:
        return None
    if whole.scale == 1.0 and is_year_like(doc[whole.core].text):
        return None
    end = whole.end
    if end < hi and doc[end].pos_ == "NOUN":
        end += 1
    return Candidate(j, end, j, 100.0 * count / whole.value, unit="%", num_end=whole.end)


def _is_reportable(doc: Doc, cand: Candidate) -> bool:
    """Drop times, identifiers, years, dates and pronoun "one"."""
    core = doc[cand.core]
    if cand.num_end < len(doc) and doc[cand.num_end].lower_ in TIME_WORDS:
        return False
    if _hyphen_linked(doc, cand) or _after_id_marker(doc, cand.core):
        return False
    if cand.scale != 1.0 or cand.currency or cand.unit in PROPORTION_UNITS:
        return True
    if core.ent_type_ in ("DATE", "TIME") or is_id_like(core.text):
        return False
    if is_year_like(core.text) and (cand.unit is None or doc[cand.end - 1].tag_ != "NNS"):
        return False
    if cand.unit is not None:
        return True
    if core.ent_type_ not in BARE_OK_ENTS or core.lower_ == "one":
        return False
    return cand.start != cand.core or cand.core == 0 or doc[cand.core - 1].pos_ not in (
        "PROPN",
        "NOUN",
    )


def _hyphen_linked(doc: Doc, cand: Candidate) -> bool:
    """Say whether the number is glued by hyphens to more numbers or words ("3-year-old")."""
    before = cand.core - 1
    if before >= 1 and doc[before].text in HYPHENS and doc[before - 1].whitespace_ == "":
        prev = doc[before - 1]
        if prev.text[-1:].isdigit() or prev.is_alpha:
            return True
    after = cand.num_end
    if after + 1 < len(doc) and doc[after].text in HYPHENS and doc[after].whitespace_ == "":
        nxt = doc[after + 1]
        if nxt.lower_ != "plus" and (nxt.text[:1].isdigit() or nxt.is_alpha):
            return doc[after - 1].whitespace_ == ""
    return False


def _after_id_marker(doc: Doc, core: int) -> bool:
    """Say whether the number follows "#" or "No." (an identifier)."""
    if core == 0:
        return False
    prev = doc[core - 1]
    if prev.text == "#" or prev.lower_ in ("no.", "nos."):
        return True
    return prev.text == "." and core >= 2 and doc[core - 2].lower_ in ("no", "nos")
