"""Token readers for amounts, used by the quantity normalizer (word tables: ``numtables.py``).

Requires: a parsed spaCy Doc (token text, lower_, pos_, lemma_, ent_type_, tag_, head).
Assigns: nothing; it reads numbers, scales, currencies, comparators and proportions
into Candidate records (token indices) that quantities.py turns into Quantity spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from workers.pipeline.numtables import (
    CENT_CURRENCIES,
    CENT_WORDS,
    CHANGE_VERBS,
    COMPARATORS,
    CURRENCY_SCALES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DOLLAR_COUNTRIES,
    FRACTIONS,
    HYPHENS,
    ISO_CODES,
    MINUS_SIGNS,
    MULTIPLIERS,
    NUMBER_RE,
    PENCE_RE,
    PENCE_WORDS,
    PERCENT_WORDS,
    POINT_WORDS,
    RANGE_TOKEN_RE,
    SCALES,
    SMALL,
    SUFFIXED_RE,
    TENS,
    TIME_NOUNS,
    VAGUE_COUNTS,
    VIDEO_LINES,
    WORD_SCALES,
)

SENTENCE_REACH = 40  # tokens searched each way for the currency that "cents" are of


def parse_number(text: str) -> float | None:
    """Return the value of a plain digit string such as "3,400" or "3.4", else None."""
    if NUMBER_RE.match(text) is None:
        return None
    return float(text.replace(",", ""))


def is_id_like(text: str) -> bool:
    """Say whether a digit string looks like an identifier rather than an amount."""
    digits = text.replace(",", "")
    if "." in digits or not digits.isdigit():
        return False  # number words ("seventeen") are not identifiers
    return (len(digits) > 1 and digits[0] == "0") or ("," not in text and len(digits) >= 7)


def is_year_like(text: str) -> bool:
    """Say whether a digit string reads as a year (a bare integer from 1800 to 2100)."""
    return len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100


def read_comparator(doc: Doc, i: int, hi: int) -> tuple[str, int]:
    """Return the comparator starting at token i and the index after it ("=", i if none)."""
    options = COMPARATORS.get(doc[i].lower_)
    if options is None:
        return "=", i
    for rest, comparator in options:
        end = i + 1 + len(rest)
        if end <= hi and all(doc[i + 1 + k].lower_ == word for k, word in enumerate(rest)):
            return comparator, end
    return "=", i


def read_word_number(doc: Doc, j: int, hi: int) -> tuple[float, int] | None:
    """Read a spelled-out number ("twenty-one", "two hundred and fifty", "a dozen")."""
    first = doc[j].lower_
    if first in ("a", "an", "half"):
        k = j + 1
        if first == "half":
            if k + 1 >= hi or doc[k].lower_ != "a":
                return None
            k += 1
        nxt = doc[k].lower_ if k < hi else ""
        base = 0.5 if first == "half" else 1.0
        if nxt in MULTIPLIERS:
            return base * MULTIPLIERS[nxt], k + 1
        if nxt in WORD_SCALES:
            return base, k
        return None
    return _read_cardinal_words(doc, j, hi)


def _read_cardinal_words(doc: Doc, j: int, hi: int) -> tuple[float, int] | None:
    """Read number words built from units, tens, "hundred" and "dozen"."""
    value = 0.0
    k = j
    last = ""
    while k < hi:
        word = doc[k].lower_
        fresh = last in ("", "hundred", "and")
        if word in SMALL and (fresh or (last in TENS and 0 < SMALL[word] < 10)):
            value += SMALL[word]
        elif word in TENS and fresh:
            value += TENS[word]
            glued = k + 2 < hi and doc[k + 1].text in HYPHENS
            ones = SMALL.get(doc[k + 2].lower_, 0) if glued else 0
            if 0 < ones < 10:  # "twenty-one"
                value += ones
                k += 2
                word = doc[k].lower_
        elif word in MULTIPLIERS and value > 0 and last not in MULTIPLIERS and value < 100:
            value *= MULTIPLIERS[word]
        elif (
            word == "and"
            and last == "hundred"
            and k + 1 < hi
            and (doc[k + 1].lower_ in SMALL or doc[k + 1].lower_ in TENS)
        ):
            pass
        else:
            break
        last = word
        k += 1
    return (value, k) if k > j else None


def percent_unit_at(doc: Doc, k: int, hi: int) -> tuple[str, int] | None:
    """Return ("%", "pp" or "bp", index after) for a percent phrase at token k."""
    word = doc[k].lower_
    nxt = doc[k + 1].lower_ if k + 1 < hi else ""
    points = nxt in ("point", "points")
    if word in PERCENT_WORDS:
        return ("pp", k + 2) if points else ("%", k + 1)
    if word == "per" and nxt == "cent":
        return "%", k + 2
    if word == "percentage" and points:
        return "pp", k + 2
    if word in POINT_WORDS:
        return "pp", k + 1
    if word == "basis" and points:
        return "bp", k + 2
    if word in ("bp", "bps"):
        return "bp", k + 1
    return None


def currency_word_at(doc: Doc, k: int, hi: int) -> tuple[str, int] | None:
    """Return (ISO code, index after) for "dollars", "US dollars", "euros", "USD" at k."""
    word = doc[k].lower_
    nxt = doc[k + 1].lower_ if k + 1 < hi else ""
    if word in DOLLAR_COUNTRIES and nxt in ("dollar", "dollars"):
        return DOLLAR_COUNTRIES[word], k + 2
    if word in CURRENCY_WORDS:
        return CURRENCY_WORDS[word], k + 2 if nxt == "sterling" else k + 1
    if doc[k].text in ISO_CODES:
        return doc[k].text, k + 1
    return None


def subunit_money_at(doc: Doc, k: int, hi: int) -> tuple[str, int] | None:
    """Return (ISO code, index after) for hundredths: "cents", "euro cents", "pence" at k."""
    word = doc[k].lower_
    if word in PENCE_WORDS:
        return "GBP", k + 1
    if word in CENT_WORDS:
        return cent_currency(doc, k), k + 1
    if k + 1 < hi and doc[k + 1].lower_ in CENT_WORDS:  # "US cents", "euro cents"
        code = DOLLAR_COUNTRIES.get(word) or CURRENCY_WORDS.get(word)
        if code in CENT_CURRENCIES:
            return code, k + 2
    return None


def cent_currency(doc: Doc, k: int) -> str:
    """The currency of "cents" at k: the first dollar or euro its sentence names, else USD."""
    lo, hi = k, k + 1
    while lo > 0 and k - lo < SENTENCE_REACH and not doc[lo].is_sent_start:
        lo -= 1
    while hi < len(doc) and hi - k < SENTENCE_REACH and not doc[hi].is_sent_start:
        hi += 1
    for m in range(lo, hi):
        named = currency_word_at(doc, m, hi)
        code = CURRENCY_SYMBOLS.get(doc[m].lower_) or (named[0] if named else None)
        if code in CENT_CURRENCIES:
            return code
    return "USD"


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


def read_amount(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read an optional currency prefix, a number and its scale word."""
    if j >= hi:
        return None
    tok = doc[j]
    glued = glued_currency(tok.text)
    if glued is not None:  # "NZ$8.40", "HK$7": one token, the symbol glued on
        code, digits = glued
        cand = _read_number_text(digits, j)
        if cand is None:
            return None
        cand.unit, cand.currency = code, True
        if not _read_scale(doc, cand, hi):
            return None
        cand.num_end = cand.end
        return cand
    symbol = CURRENCY_SYMBOLS.get(tok.lower_) or (tok.text if tok.text in ISO_CODES else None)
    k = j + 1 if symbol else j
    if k >= hi:
        return None
    cand = _read_number(doc, k, hi)
    if cand is None:
        return None
    cand.start = j
    if symbol:
        cand.unit, cand.currency = symbol, True
    if not _read_scale(doc, cand, hi):
        return None
    cand.num_end = cand.end
    return cand


def glued_currency(text: str) -> tuple[str, str] | None:
    """ "NZ$8.40" -> ("NZD", "8.40"): a symbol of letters and "$" the tokenizer left glued
    to its digits; None for any other word ("$5" is split, "C$" alone is a symbol)."""
    at = text.find("$")
    if at < 1 or not text[at + 1 : at + 2].isdigit():
        return None
    code = CURRENCY_SYMBOLS.get(text[: at + 1].lower())
    return None if code is None else (code, text[at + 1 :])


def _read_number(doc: Doc, k: int, hi: int) -> Candidate | None:
    """Read digits ("3,400", "3.4bn", "3–5") or number words ("twenty-one") at token k."""
    text = doc[k].text
    if text[:1] in MINUS_SIGNS and text[1:2].isdigit():
        return _negated(_read_number_text(text[1:], k))
    if not text[:1].isdigit():
        words = read_word_number(doc, k, hi)
        return None if words is None else Candidate(k, words[1], k, words[0])
    return _read_number_text(text, k)


def _negated(cand: Candidate | None) -> Candidate | None:
    """A signed amount ("-5", "−3.2bn"); a signed range token is not read."""
    if cand is None or cand.upper is not None:
        return None
    cand.value = -cand.value
    return cand


def _read_number_text(text: str, k: int) -> Candidate | None:
    """Read the digit token at k: "3,400", "3–5" or "3.4bn" (no sign)."""
    value = parse_number(text)
    if value is not None:
        return Candidate(k, k + 1, k, value)
    match = RANGE_TOKEN_RE.match(text)
    if match is not None:
        low, high = parse_number(match.group(1)), parse_number(match.group(2))
        if low is None or high is None or high <= low:
            return None
        return Candidate(k, k + 1, k, low, upper=high)
    match = SUFFIXED_RE.match(text) or PENCE_RE.match(text)
    if match is None:
        return None
    return Candidate(k, k + 1, k, float(match.group(1).replace(",", "")), suffix=match.group(2))


def _read_scale(doc: Doc, cand: Candidate, hi: int) -> bool:
    """Apply a scale suffix or word ("bn", "million", "k" after "$50"); False if invalid."""
    if cand.suffix == "p":  # "50p" is 0.50 GBP, "1080p" a video resolution
        if cand.value in VIDEO_LINES:
            return False
        cand.scale_by(0.01)
        cand.unit, cand.currency = "GBP", True
        return True
    if cand.suffix:
        suffix = cand.suffix.lower()
        factor = SCALES.get(suffix)
        if factor is None and _letter_scale_allowed(doc, cand, cand.end, hi):
            factor = CURRENCY_SCALES.get(suffix)
        if factor is None:
            return False
        cand.scale_by(factor)
        return True
    if cand.end >= hi:
        return True
    word = doc[cand.end].lower_
    if word[-1:] == "." and len(word) > 1:
        word = word[:-1]  # "$5m." at the end of a sentence
    factor = SCALES.get(word)
    if factor is None and _letter_scale_allowed(doc, cand, cand.end + 1, hi):
        factor = CURRENCY_SCALES.get(word)
    if factor is None and doc[cand.end - 1].text.lstrip("-−")[:1].isdigit():
        factor = MULTIPLIERS.get(word)
    if factor is not None:
        cand.scale_by(factor)
        cand.end += 1
    return True


def _letter_scale_allowed(doc: Doc, cand: Candidate, after: int, hi: int) -> bool:
    """Say whether "m", "b" or "t" is a scale: after a currency, or glued before a plural."""
    if cand.currency:
        return True
    glued = doc[cand.end - 1].whitespace_ == "" or cand.suffix != ""
    return glued and after < hi and doc[after].tag_ in ("NNS", "NNPS")


def read_proportion(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read "half of", "two-thirds of", "by a third" or "one in five adults" as a percentage."""
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
    change_by = _is_change_by(doc, j)
    if k < hi and doc[k].lower_ in FRACTIONS and (
        change_by or (k + 1 < hi and doc[k + 1].lower_ in ("of", "the", *SHARE_COMPARED))
    ):
        parts = FRACTIONS[doc[k].lower_]
        compared = k + 1 < hi and doc[k + 1].lower_ in SHARE_COMPARED
        timelike = doc[k].ent_type_ in ("DATE", "TIME") and not (change_by or compared)
        if value >= parts or timelike or _of_time(doc, k + 1, hi):
            return None
        return Candidate(j, k + 1, j, 100.0 * value / parts, unit="%", num_end=k + 1)
    return _parse_ratio(doc, j, value, count[1], hi)


# "a quarter less grain", "a third fewer sick days": a share of something compared.
SHARE_COMPARED = ("less", "fewer", "more")


def _is_change_by(doc: Doc, j: int) -> bool:
    """Say whether the amount at j follows the "by" of a change ("rose by a fifth")."""
    return j > 0 and doc[j - 1].lower_ == "by" and doc[j - 1].head.lemma_ in CHANGE_VERBS


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
    whole = read_amount(doc, k, hi) if k < hi else None
    if whole is None or whole.currency or whole.value <= count:
        return None
    if whole.scale == 1.0 and is_year_like(doc[whole.core].text):
        return None
    end = whole.end
    if end < hi and doc[end].pos_ == "NOUN":
        end += 1
    return Candidate(j, end, j, 100.0 * count / whole.value, unit="%", num_end=whole.end)


def read_vague_count(doc: Doc, j: int, hi: int) -> Candidate | None:
    """Read "dozens", "tens of thousands" (at least twice the base) or "a score of" (20)."""
    word = doc[j].lower_
    if word == "a":
        if j + 2 < hi and doc[j + 1].lower_ == "score" and _counts_after_of(doc, j + 2, hi):
            return Candidate(j, j + 2, j + 1, 20.0, num_end=j + 2)
        return None  # "a score of 85" is a result
    base = VAGUE_COUNTS.get(word)
    if base is None:
        return None
    if word == "scores" and j > 0 and (doc[j - 1].pos_ in ("NOUN", "PROPN", "ADJ", "DET")
                                       or doc[j - 1].tag_ == "PRP$"):
        return None  # "test scores of", "their scores of"
    value, k = 2 * base, j + 1
    while k + 1 < hi and doc[k].lower_ == "of" and VAGUE_COUNTS.get(doc[k + 1].lower_, 0) > base:
        base = VAGUE_COUNTS[doc[k + 1].lower_]
        value, k = value * base, k + 2
    if word in ("tens", "scores") and k == j + 1 and not _counts_after_of(doc, k, hi):
        return None
    return Candidate(j, k, j, value, comparator=">=", num_end=k)


def _counts_after_of(doc: Doc, k: int, hi: int) -> bool:
    """Say whether "of" at k leads to a plural noun, not a figure ("a score of 85")."""
    if k >= hi or doc[k].lower_ != "of":
        return False
    for m in range(k + 1, min(k + 4, hi)):
        tok = doc[m]
        if tok.like_num or tok.pos_ == "NUM":
            return False
        if tok.tag_ in ("NNS", "NNPS") or tok.lower_ == "them":
            return True
        if tok.pos_ not in ("DET", "ADJ") and tok.tag_ != "PRP$":
            return False
    return False
