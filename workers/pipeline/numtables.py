"""Word tables and patterns for reading amounts (numbers, scales, currencies, comparators)."""

from __future__ import annotations

import re

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
MULTIPLIERS = {"hundred": 100.0, "dozen": 12.0}
SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12,
    "lakh": 1e5, "crore": 1e7,
}  # fmt: skip
# Single letters are scales after a currency ("$5m") or glued before a plural ("5m users");
# elsewhere "5m" may be metres.
CURRENCY_SCALES = {"m": 1e6, "b": 1e9, "t": 1e12}
WORD_SCALES = frozenset({"thousand", "million", "billion", "trillion", "lakh", "crore"})
# Counts said without a figure: "dozens of" is at least two dozen, "tens of thousands" at
# least 20,000 (the bases multiply); "a score of" is 20.
VAGUE_COUNTS = {
    "tens": 10.0, "dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3,
    "millions": 1e6, "billions": 1e9, "trillions": 1e12,
}  # fmt: skip
# Hundredths of a currency: "pence" and a glued "p" are British; "cents" take the dollar or
# euro the sentence names, else USD.
PENCE_WORDS = frozenset({"pence", "penny"})
CENT_WORDS = frozenset({"cent", "cents"})
CENT_CURRENCIES = frozenset({"USD", "EUR", "CAD", "AUD", "SGD", "HKD", "NZD"})
VIDEO_LINES = frozenset({144, 240, 360, 480, 720, 1080, 1440, 2160, 4320})  # "1080p" is not pence
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "rs": "INR", "rs.": "INR", "c$": "CAD", "a$": "AUD", "hk$": "HKD", "s$": "SGD", "nz$": "NZD",
    "₩": "KRW", "₽": "RUB", "₺": "TRY", "₦": "NGN", "r$": "BRL",
}  # fmt: skip
ISO_CODES = frozenset(
    "USD EUR GBP JPY INR CNY CAD AUD CHF SGD HKD KRW BRL MXN ZAR RUB SEK NOK DKK NZD "
    "TRY NGN KES PLN".split()
)
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "yen": "JPY",
    "rupee": "INR", "rupees": "INR", "yuan": "CNY", "renminbi": "CNY",
}  # fmt: skip
DOLLAR_COUNTRIES = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD",
    "australian": "AUD", "singapore": "SGD",
}  # fmt: skip
PERCENT_WORDS = frozenset({"%", "percent", "pct", "pc"})
POINT_WORDS = frozenset({"pp", "ppt", "ppts"})
TIME_WORDS = frozenset({"am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "utc", "bst", "est"})
TIME_NOUNS = frozenset(
    "second minute hour day week month year decade century millennium time season".split()
)
HYPHENS = frozenset({"-", "–", "—"})
MINUS_SIGNS = frozenset({"-", "−"})  # hyphen-minus and U+2212 before a digit
DURATION_UNITS = frozenset(
    "seconds minutes hours days weeks months years decades centuries".split()
)
# After a duration these make it a date or an age, not a length of time ("5 years ago").
NOT_DURATION_AFTER = frozenset({"ago", "old", "earlier", "later", "hence", "prior"})
CHANGE_VERBS = frozenset(
    "rise fall increase decrease grow drop decline climb jump soar surge plunge plummet "
    "slump shrink double triple halve cut reduce raise lower boost go move change swell "
    "tumble slide dip edge expand sink rocket spike slip ease widen narrow shift".split()
)
# Comparator phrases by first word: (following words, comparator), longest first.
_COMPARATOR_TABLE = {
    ">": ["more than", "greater than", "higher than", "over", "above", "in excess of",
          "upwards of", "just over", "well over", "well above", "just above"],
    ">=": ["at least", "no fewer than", "no less than", "not less than", "a minimum of"],
    "<": ["fewer than", "less than", "under", "below", "nearly", "almost", "just under",
          "just below", "well under", "well below", "lower than"],
    "<=": ["no more than", "not more than", "at most", "up to", "a maximum of",
           "as many as", "as much as"],
    "~": ["about", "around", "roughly", "approximately", "approx.", "some", "circa",
          "an estimated", "close to"],
    "=": ["exactly", "precisely"],
}  # fmt: skip
COMPARATORS: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _cmp, _phrases in _COMPARATOR_TABLE.items():
    for _phrase in _phrases:
        _first, *_rest = _phrase.split()
        COMPARATORS.setdefault(_first, []).append((tuple(_rest), _cmp))
for _options in COMPARATORS.values():
    _options.sort(key=lambda option: -len(option[0]))
POSTFIX_COMPARATORS = {
    "more": ">=", "above": ">=", "over": ">=", "higher": ">=", "greater": ">=",
    "less": "<=", "fewer": "<=", "below": "<=", "under": "<=", "lower": "<=",
}  # fmt: skip

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")
SUFFIXED_RE = re.compile(rf"^({_NUMBER})(k|mn|mln|bn|bln|tn|m|b|t)$", re.IGNORECASE)
RANGE_TOKEN_RE = re.compile(rf"^({_NUMBER})[-–]({_NUMBER})$")
PENCE_RE = re.compile(rf"^({_NUMBER})(p)$")
TALLY_TOKEN_RE = re.compile(r"^(\d{1,6})[-–—](\d{1,6})$")
# Vote tallies: a verb (by lemma) or noun before the pair ("voted 5-4", "by a vote of 219 to
# 212"), or a noun after it ("a 52-48 vote"). "beat", "win" and "defeat" are left out: sport.
VOTE_VERBS = frozenset(
    "vote pass approve reject confirm rule decide uphold ratify adopt endorse overturn split "
    "back elect acquit convict strike block clear override".split()
)
VOTE_NOUNS_BEFORE = frozenset({"vote", "ballot", "tally"})
VOTE_NOUNS_AFTER = frozenset(
    {"vote", "votes", "decision", "ruling", "majority", "margin", "verdict", "tally", "split"}
)
