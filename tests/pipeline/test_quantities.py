"""Tests for the quantity normalizer: sentences in, (text, value, upper, unit, comparator) out."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from workers.pipeline.quantities import Quantity, find_quantities

Row = tuple[str, float, float | None, str | None, str]
PIECES = [
    "3", "3,400", "3.4", "2019", "0.5", "3.4bn", "50k", "3–5", "21st", "3pm", "$", "€", "£",
    "US$", "USD", "million", "bn", "m", "k", "percent", "%", "per", "cent", "between", "and",
    "from", "to", "-", "more", "than", "up", "one", "in", "five", "half", "a", "of", "dozen",
    "or", "+", "people", "April", "🙂", "\r\n", "No.", "#", "twenty", "hundred", "basis",
    "points", "US", "dollars", "the", "rose", "out", "every", "thirds", ".", "e\u0301",
    "−", "-5", "minus", "months", "years", "ago", "old",
    "dozens", "tens", "thousands", "score", "scores", "voted", "passed", "vote", "5-4",
    "52–48", "won", "cents", "euro", "50p", "1080p", "pence", "p.", "pp",
]  # fmt: skip


def rows_of(nlp: Language, text: str) -> list[Row]:
    """(text, value, upper, unit, comparator) of every quantity found in text."""
    doc = nlp(text)
    return [
        (doc.text[q.start : q.end], q.value, q.upper, q.unit, q.comparator)
        for q in find_quantities(doc)
    ]


def assert_rows_match(found: Sequence[Row], expected: Sequence[Row]) -> None:
    """Compare rows, allowing float rounding in value and upper."""
    assert [(r[0], r[3], r[4]) for r in found] == [(r[0], r[3], r[4]) for r in expected]
    for got, want in zip(found, expected, strict=True):
        assert got[1] == pytest.approx(want[1], rel=1e-6)
        assert got[2] == (None if want[2] is None else pytest.approx(want[2], rel=1e-6))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # comparator, scale and counted noun together
        ("Officials said more than 3 billion images were uploaded.",
         ("more than 3 billion images", 3e9, None, "images", ">")),
        # dollar sign before a scaled decimal
        ("The deal was worth $3.4 billion last year.", ("$3.4 billion", 3.4e9, None, "USD", "=")),
        # "percent" as a word
        ("Sales rose 12 percent in the quarter.", ("12 percent", 12, None, "%", "=")),
        # range with "between ... and", the scale applies to both ends
        ("The flood displaced between 3 and 5 million people last spring.",
         ("between 3 and 5 million people", 3e6, 5e6, "people", "=")),
        # "one in five" is a proportion, reported as a percentage
        ("Polls show one in five adults smoke.", ("one in five adults", 20, None, "%", "=")),
        # "half of" is a proportion too
        ("Half of voters backed the plan.", ("Half", 50, None, "%", "=")),
        # "a dozen" counts twelve
        ("She bought a dozen eggs for the party.", ("a dozen eggs", 12, None, "eggs", "=")),
        # a number word
        ("Three ministers resigned on Tuesday.", ("Three ministers", 3, None, "ministers", "=")),
        # a hyphenated number word
        ("The club signed twenty-one players.", ("twenty-one players", 21, None, "players", "=")),
        # "hundred and" inside number words
        ("The company employs two hundred and fifty engineers.",
         ("two hundred and fifty engineers", 250, None, "engineers", "=")),
        # thousands separator
        ("The region has 3,400 schools.", ("3,400 schools", 3400, None, "schools", "=")),
        # a decimal percentage
        ("Inflation stood at 3.4 percent.", ("3.4 percent", 3.4, None, "%", "=")),
        # "thousand" as a scale word
        ("The city has 40 thousand residents.",
         ("40 thousand residents", 40e3, None, "residents", "=")),
        # "trillion" and a currency word
        ("The fund manages 2 trillion dollars.", ("2 trillion dollars", 2e12, None, "USD", "=")),
        # euro sign and "bn" glued to the number
        ("The merger created a firm worth €20bn overall.", ("€20bn", 20e9, None, "EUR", "=")),
        # pound sign and "m" after a currency
        ("The club paid £45m for the striker.", ("£45m", 45e6, None, "GBP", "=")),
        # "k" glued to the number
        ("The startup raised $50k from friends.", ("$50k", 50e3, None, "USD", "=")),
        # "K" as its own token after "$50"
        ("The startup raised $50K from friends.", ("$50K", 50e3, None, "USD", "=")),
        # decimal with "m"
        ("The charity raised $1.5m in a week.", ("$1.5m", 1.5e6, None, "USD", "=")),
        # "m" at the end of a sentence keeps the full stop out of the span
        ("The charity raised $5m.", ("$5m", 5e6, None, "USD", "=")),
        # pound sign with "bn"
        ("The deficit reached £3.4bn this spring.", ("£3.4bn", 3.4e9, None, "GBP", "=")),
        # "million" with a counted noun
        ("The company sold 4 million cars.", ("4 million cars", 4e6, None, "cars", "=")),
        # percent sign
        ("Unemployment fell to 12% this month.", ("12%", 12, None, "%", "=")),
        # "per cent" in two words
        ("Turnout was 12 per cent higher.", ("12 per cent", 12, None, "%", "=")),
        # percentage points are a distinct unit
        ("The party gained 3 percentage points in the poll.",
         ("3 percentage points", 3, None, "pp", "=")),
        # "pp" abbreviation
        ("The lead narrowed by 2.5 pp overnight.", ("2.5 pp", 2.5, None, "pp", "=")),
        # basis points keep their own unit
        ("Rates rose 25 basis points in March.", ("25 basis points", 25, None, "bp", "=")),
        # "euros" after a scale
        ("The plan costs 5 million euros a year.", ("5 million euros", 5e6, None, "EUR", "=")),
        # "pounds" as money
        ("The city lost 40 million pounds on the scheme.",
         ("40 million pounds", 40e6, None, "GBP", "=")),
        # "dollars" without a scale
        ("The fine was 300 dollars.", ("300 dollars", 300, None, "USD", "=")),
        # "US dollars" after the number
        ("The rebate is worth 1,000,000 US dollars.",
         ("1,000,000 US dollars", 1e6, None, "USD", "=")),
        # "US$" prefix
        ("The bank lent US$2 billion to the state.", ("US$2 billion", 2e9, None, "USD", "=")),
        # yen sign with thousands separator
        ("Tickets cost ¥5,000 each.", ("¥5,000", 5000, None, "JPY", "=")),
        # ISO code before the number
        ("Spending will rise to USD 5 million next year.",
         ("USD 5 million", 5e6, None, "USD", "=")),
        # ISO code after the number
        ("The grant was 5 million EUR in total.", ("5 million EUR", 5e6, None, "EUR", "=")),
        # rupees with an Indian scale word
        ("The project will cost Rs 500 crore.", ("Rs 500 crore", 5e9, None, "INR", "=")),
        # hyphen range, scale shared
        ("The state spent 3-5 million on the study.", ("3-5 million", 3e6, 5e6, None, "=")),
        # en dash range inside one token
        ("The country has 3–5 million migrants.",
         ("3–5 million migrants", 3e6, 5e6, "migrants", "=")),
        # "from ... to" range that is not a change
        ("The team expects from 3 to 5 new members.",
         ("from 3 to 5 new members", 3, 5, "members", "=")),
        # "to" range without a prefix
        ("Sales grew 3 to 5 million units.", ("3 to 5 million units", 3e6, 5e6, "units", "=")),
        # percentages on both ends of a range
        ("Between 3% and 5% of voters were undecided.", ("Between 3% and 5%", 3, 5, "%", "=")),
        # currency on both ends of a range
        ("Seats cost $30 to $50 each.", ("$30 to $50", 30, 50, "USD", "=")),
        # "over"
        ("Over 200 people attended the rally.", ("Over 200 people", 200, None, "people", ">")),
        # "above" with a currency word
        ("Prices are above 50 dollars a barrel.", ("above 50 dollars", 50, None, "USD", ">")),
        # "at least"
        ("At least 12 people died in the crash.",
         ("At least 12 people", 12, None, "people", ">=")),
        # "nearly" means a little less
        ("Nearly 40 percent of homes lack broadband.", ("Nearly 40 percent", 40, None, "%", "<")),
        # "almost" means a little less
        ("Almost 2 million children live in poverty.",
         ("Almost 2 million children", 2e6, None, "children", "<")),
        # "about" is approximate
        ("About 300 protesters gathered outside.",
         ("About 300 protesters", 300, None, "protesters", "~")),
        # "around" is approximate
        ("Around 5,000 jobs will go.", ("Around 5,000 jobs", 5000, None, "jobs", "~")),
        # "roughly" is approximate
        ("Roughly 60 percent of the budget goes to health.",
         ("Roughly 60 percent", 60, None, "%", "~")),
        # "approximately" is approximate
        ("Approximately 1.2 million voters switched.",
         ("Approximately 1.2 million voters", 1.2e6, None, "voters", "~")),
        # "some" before a number is approximate
        ("Some 3,000 troops were deployed.", ("Some 3,000 troops", 3000, None, "troops", "~")),
        # "up to"
        ("Fees could rise by up to 40 per cent.", ("up to 40 per cent", 40, None, "%", "<=")),
        # "fewer than"
        ("Fewer than 100 nurses applied.", ("Fewer than 100 nurses", 100, None, "nurses", "<")),
        # "less than"
        ("Less than 5 percent of funds reached schools.",
         ("Less than 5 percent", 5, None, "%", "<")),
        # "under"
        ("Under 30 percent of adults exercise.", ("Under 30 percent", 30, None, "%", "<")),
        # "no more than" wins over "more than"
        ("The rules permit no more than 6 guests.",
         ("no more than 6 guests", 6, None, "guests", "<=")),
        # "well over" with a trillion suffix
        ("The tax raises well over £1tn a year.", ("well over £1tn", 1e12, None, "GBP", ">")),
        # "or more" after the number
        ("The survey found 3 or more vehicles per household.",
         ("3 or more vehicles", 3, None, "vehicles", ">=")),
        # "or more" after the noun
        ("The program reached 5 million people or more.",
         ("5 million people or more", 5e6, None, "people", ">=")),
        # a glued plus sign
        ("The bill runs to 3,000+ pages.", ("3,000+ pages", 3000, None, "pages", ">=")),
        # "out of" proportion
        ("Nine out of ten doctors agree.", ("Nine out of ten doctors", 90, None, "%", "=")),
        # digits in a proportion
        ("The list had 1 in 10 voters missing.", ("1 in 10 voters", 10, None, "%", "=")),
        # hyphenated fraction
        ("Two-thirds of respondents disagreed.", ("Two-thirds", 200 / 3, None, "%", "=")),
        # "a third of"
        ("The scheme covered a third of pupils.", ("a third", 100 / 3, None, "%", "=")),
        # "more than half"
        ("More than half of households own a car.", ("More than half", 50, None, "%", ">")),
        # "half a million"
        ("It affected half a million homes.", ("half a million homes", 5e5, None, "homes", "=")),
        # "a million"
        ("It sold a million copies.", ("a million copies", 1e6, None, "copies", "=")),
        # a bare scaled number has no unit
        ("The price is 2.5 million.", ("2.5 million", 2.5e6, None, None, "=")),
        # a bare number after a verb
        ("The death toll rose to 57.", ("57", 57, None, None, "=")),
        # a bare number word after a comparator
        ("The club has fewer than ten members left.",
         ("fewer than ten members", 10, None, "members", "<")),
        # decimals below one
        ("The population grew by 0.5 percent.", ("0.5 percent", 0.5, None, "%", "=")),
        # compound noun: the head noun is the unit
        ("The firm announced 3,000 job losses.", ("3,000 job losses", 3000, None, "losses", "=")),
        # adjective between the number and its noun
        ("He met 3 million young people.",
         ("3 million young people", 3e6, None, "people", "=")),
        # plural proper noun as the counted noun, lowercased
        ("At least 40 MPs rebelled.", ("At least 40 MPs", 40, None, "mps", ">=")),
        # "one" counts when a comparator makes it a quantity
        ("More than one person was hurt.", ("More than one person", 1, None, "person", ">")),
        # "one" with a scale word
        ("The fund lost one million pounds.", ("one million pounds", 1e6, None, "GBP", "=")),
        # a glued "m" before a plural noun means million
        ("Apple sold 231.8m iPhones that year.", ("231.8m iPhones", 231.8e6, None, "iphones", "=")),
        # a glued "m" before an adjective is metres
        ("The wall is 5m high.", ("5m", 5, None, "m", "=")),
        # a glued measure unit
        ("The parcel weighs 20kg in all.", ("20kg", 20, None, "kg", "=")),
        # a hyphenated noun is the unit as a whole
        ("She deleted 33,000 e-mails.", ("33,000 e-mails", 33000, None, "e-mails", "=")),
        # "two dozen"
        ("The baker sold two dozen rolls.", ("two dozen rolls", 24, None, "rolls", "=")),
        # a four-digit count with a plural noun is not a year
        ("The march drew 2000 people.", ("2000 people", 2000, None, "people", "=")),
        # a negative number with a hyphen-minus
        ("Temperatures fell to -5 degrees overnight.", ("-5 degrees", -5, None, "degrees", "=")),
        # a negative scaled amount with the minus sign U+2212
        ("The fund returned −3.2 million dollars.",
         ("−3.2 million dollars", -3.2e6, None, "USD", "=")),
        # a negative percentage
        ("Growth was -0.5% in the spring.", ("-0.5%", -0.5, None, "%", "=")),
        # "minus" as a word
        ("It fell to minus 12 degrees.", ("minus 12 degrees", -12, None, "degrees", "=")),
        # a fraction after the "by" of a change is a percentage (spaCy tags it DATE here)
        ("Average rents rose by a fifth between 2019 and 2023.", ("a fifth", 20, None, "%", "=")),
        # "by a third"
        ("The drug reduced deaths by a third.", ("a third", 33.333333, None, "%", "=")),
        # a duration spaCy tags as a date is a length of time
        ("The trial lasted 18 months.", ("18 months", 18, None, "months", "=")),
        # a duration in words
        ("Talks went on for three weeks.", ("three weeks", 3, None, "weeks", "=")),
        # a period of years
        ("Over the past 10 years, crime fell.", ("10 years", 10, None, "years", "=")),
        # "X or Y" is a range
        ("Only 2 or 3 percent of voters changed sides.", ("2 or 3 percent", 2, 3, "%", "=")),
        # "one or two" is a range, not the pronoun "one"
        ("One or two people were hurt.", ("One or two people", 1, 2, "people", "=")),
        # issue 9: "one in four" is a share, 25 %, like "one in five"
        ("One in four adults smoke.", ("One in four adults", 25, None, "%", "=")),
        # issue 9: "two out of three" is 66.67 % (the module keeps 12 significant digits)
        ("Two out of three voters backed the plan.",
         ("Two out of three voters", 200 / 3, None, "%", "=")),
        # "one in every three"
        ("One in every three homes floods.", ("One in every three homes", 100 / 3, None, "%", "=")),
        # "half a dozen" is six
        ("He ate half a dozen eggs.", ("half a dozen eggs", 6, None, "eggs", "=")),
        # "more than a dozen"
        ("More than a dozen people were hurt.",
         ("More than a dozen people", 12, None, "people", ">")),
        # "dozens of" says at least two dozen
        ("Dozens of people were hurt.", ("Dozens of people", 24, None, "people", ">=")),
        # an adjective between "of" and the counted noun
        ("Police arrested dozens of young people.",
         ("dozens of young people", 24, None, "people", ">=")),
        # "hundreds of" is at least 200
        ("Hundreds of homes lost power.", ("Hundreds of homes", 200, None, "homes", ">=")),
        # "thousands" without "of" has no unit
        ("Thousands marched in the capital.", ("Thousands", 2000, None, None, ">=")),
        # the bases multiply: "tens of thousands" is at least 20,000
        ("Tens of thousands of people marched.",
         ("Tens of thousands of people", 20000, None, "people", ">=")),
        # a vague count of money
        ("The project cost hundreds of millions of dollars.",
         ("hundreds of millions of dollars", 2e8, None, "USD", ">=")),
        # "a score of" is twenty
        ("A score of protesters gathered.", ("A score of protesters", 20, None, "protesters", "=")),
        # "scores of" is at least two score
        ("Scores of people were arrested.", ("Scores of people", 40, None, "people", ">=")),
        # a test score is a result, not twenty
        ("She got a score of 85 on the test.", ("85", 85, None, None, "=")),
        # a number word of seven letters or more is not an identifier
        ("Fifteen people died in the crash.", ("Fifteen people", 15, None, "people", "=")),
        # "seventeen"
        ("Seventeen players signed for the club.",
         ("Seventeen players", 17, None, "players", "=")),
        # cents are hundredths of a dollar: USD when the sentence names no other currency
        ("A stamp costs 40 cents.", ("40 cents", 0.4, None, "USD", "=")),
        # cents in a rate: the span is the amount, as with "50 dollars a barrel"
        ("Fuel rose 5 cents per litre.", ("5 cents", 0.05, None, "USD", "=")),
        # a range of cents
        ("Tickets cost 10-20 cents each.", ("10-20 cents", 0.1, 0.2, "USD", "=")),
        # "US cents"
        ("The loonie fell to 72 US cents.", ("72 US cents", 0.72, None, "USD", "=")),
        # "euro cents"
        ("The coin is worth 20 euro cents.", ("20 euro cents", 0.2, None, "EUR", "=")),
        # pence are hundredths of a pound
        ("It costs 99 pence.", ("99 pence", 0.99, None, "GBP", "=")),
        # a glued "p" is pence
        ("A bag costs 50p at the till.", ("50p", 0.5, None, "GBP", "=")),
        # a decimal number of pence
        ("It costs 12.5p now.", ("12.5p", 0.125, None, "GBP", "=")),
        # a euro amount below one
        ("The fee is €0.20 per call.", ("€0.20", 0.2, None, "EUR", "=")),
    ],
)  # fmt: skip
def test_quantity_phrase_is_normalized(nlp: Language, sentence: str, expected: Row) -> None:
    assert_rows_match(rows_of(nlp, sentence), [expected])


@pytest.mark.parametrize(
    "sentence",
    [
        # a year after "in"
        "The law was passed in 2019.",
        # a year as a subject
        "2019 was a difficult year for the firm.",
        # a month and year
        "The strike began in April 2020.",
        # a year range
        "The case ran from 2019 to 2021.",
        # a full date
        "He was born on 4 July 1990.",
        # a day of the month
        "The results came out on March 3.",
        # a decade
        "It happened in the 1990s.",
        # a year before a noun
        "The 2019 election was close.",
        # an ordinal word
        "He finished third in the race.",
        # an ordinal with a suffix
        "She celebrated her 21st birthday.",
        # a clock time glued to "pm"
        "The meeting starts at 3pm.",
        # a clock time with "a.m."
        "The train leaves at 10 a.m. daily.",
        # a clock time with a colon
        "The bus leaves at 3:30 every day.",
        # "one" as a pronoun
        "One of the best players left.",
        # "one" as a subject
        "One said the plan would fail.",
        # "one" in an idiom
        "At one point the plan stalled.",
        # a phone number
        "Call 555-123-4567 for details.",
        # an identifier with a leading zero
        "The order number is 0012345.",
        # a long identifier
        "Her account ID is 12345678.",
        # a product name
        "He flew on a Boeing 737 to work.",
        # a house number after "No."
        "He lives at No. 10 Downing Street.",
        # a product version
        "Windows 10 was released.",
        # a law section
        "Section 230 protects platforms.",
        # a number glued into a name
        "The COVID-19 pandemic spread.",
        # a hyphenated age
        "A 3-year-old boy was hurt.",
        # a score
        "The team won 3-1 on Sunday.",
        # odds
        "The score was 2 to 1.",
        # a day range
        "The G7 leaders met on May 19-21 in Hiroshima.",
        # a score after "beat" is sport, not a vote
        "Arsenal beat Chelsea 2-0 in the final.",
        # a score with "to" after "lost"
        "The side lost 3 to 1 at home.",
        # "scored" is a verb, not twenty
        "The striker scored twice in the final.",
        # "test scores of" are results, not a count of pupils
        "Test scores of pupils rose.",
        # a season written as a year range
        "The season ran 2019-2020.",
        # a year range after a voting verb is not a tally
        "The council voted in 2019-2020 on the plan.",
        # "1080p" is a video resolution, not pence
        "Streams in 1080p video are free.",
        # a page after "p."
        "See p. 50 for details.",
        # a page range after "pp."
        "He read pp. 45-50 of the report.",
        # a year count back is a date, vague or not
        "Hundreds of years ago the town flooded.",
        # a compound adjective with a thousands separator
        "The 1,200-page bill was long.",
        # a compound adjective with a duration
        "Rates hit a 15-year high.",
        # a duration tagged as a date
        "He is 45 years old.",
        # a count of years back is a date, not a duration
        "It happened five years ago.",
        # a single day is a date word
        "It took one day.",
        # "by a quarter past" is a time
        "He arrived by a quarter past five.",
        # "net zero" names a target
        "The country will reach net zero by 2050.",
        # a slash date
        "The report was published on 12/03/2020.",
        # "a quarter of an hour" is time
        "It took a quarter of an hour.",
        # "half" without "of" is not a count
        "The cake was cut in half.",
        # a hashtag-style number
        "Fans voted for #5 in the poll.",
    ],
)  # fmt: skip
def test_non_quantity_number_is_not_reported(nlp: Language, sentence: str) -> None:
    assert rows_of(nlp, sentence) == []


# A vote tally is two quantity spans with unit "votes", one per side, in the order written:
# `normalized` has one float `value` and `upper` means a range, so "5-4" fits neither one
# value nor value/upper (see workers/pipeline/tallies.py).
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "voted 5-4": a tally split into three tokens
        ("The Supreme Court voted 5-4 to strike down the law.",
         [("5", 5, None, "votes", "="), ("4", 4, None, "votes", "=")]),
        # a vote noun after the tally
        ("The measure passed in a 52-48 vote.",
         [("52", 52, None, "votes", "="), ("48", 48, None, "votes", "=")]),
        # the losing side first is still a tally, not a range
        ("The motion failed in a 48-52 vote.",
         [("48", 48, None, "votes", "="), ("52", 52, None, "votes", "=")]),
        # "passed 7 to 2" with the bill between the verb and the tally
        ("The committee passed the bill 7 to 2.",
         [("7", 7, None, "votes", "="), ("2", 2, None, "votes", "=")]),
        # "voted 52 to 48" followed by "to confirm"
        ("The Senate voted 52 to 48 to confirm her.",
         [("52", 52, None, "votes", "="), ("48", 48, None, "votes", "=")]),
        # "by 320 votes to 250": the first side keeps its noun
        ("MPs voted by 320 votes to 250 in favour.",
         [("320 votes", 320, None, "votes", "="), ("250", 250, None, "votes", "=")]),
        # "by a vote of 219 to 212"
        ("The bill passed by a vote of 219 to 212.",
         [("219", 219, None, "votes", "="), ("212", 212, None, "votes", "=")]),
        # "passed 219-212" (once a negative: a tally was not read)
        ("The bill passed 219-212 in the House.",
         [("219", 219, None, "votes", "="), ("212", 212, None, "votes", "=")]),
        # an en dash tally is one token: the sides are parts of it
        ("The court ruled 5–4 on the case.",
         [("5", 5, None, "votes", "="), ("4", 4, None, "votes", "=")]),
        # a jury's vote
        ("The jury voted 10-2 to convict.",
         [("10", 10, None, "votes", "="), ("2", 2, None, "votes", "=")]),
        # "a 5-4 majority"
        ("A 5-4 majority of the court agreed.",
         [("5", 5, None, "votes", "="), ("4", 4, None, "votes", "=")]),
        # a pair that counts something else is a range
        ("The board approved 3 to 4 new hires.", [("3 to 4 new hires", 3, 4, "hires", "=")]),
        # cents take the euro the sentence names
        ("Petrol costs €1.80 a litre, up 5 cents on last week.",
         [("€1.80", 1.8, None, "EUR", "="), ("5 cents", 0.05, None, "EUR", "=")]),
        # pence on both sides of a change
        ("Shares fell 2p to 150p.",
         [("2p", 0.02, None, "GBP", "="), ("150p", 1.5, None, "GBP", "=")]),
    ],
)  # fmt: skip
def test_sentence_gives_these_quantities(nlp: Language, sentence: str,
                                         expected: list[Row]) -> None:
    assert_rows_match(rows_of(nlp, sentence), expected)


def test_change_sentence_yields_two_quantities(nlp: Language) -> None:
    expected = [("12 percent", 12, None, "%", "="), ("$3.4 billion", 3.4e9, None, "USD", "=")]
    assert_rows_match(rows_of(nlp, "Revenue rose 12 percent to $3.4 billion in 2019."), expected)


def test_change_from_to_gives_the_start_the_target_scale_and_unit(nlp: Language) -> None:
    expected = [("3", 3e6, None, "USD", "="), ("5 million dollars", 5e6, None, "USD", "=")]
    assert_rows_match(rows_of(nlp, "Prices rose from 3 to 5 million dollars."), expected)


def test_change_between_percentages_is_two_quantities_not_a_range(nlp: Language) -> None:
    expected = [("5.2 per cent", 5.2, None, "%", "="), ("4.8 per cent", 4.8, None, "%", "=")]
    assert_rows_match(
        rows_of(nlp, "Unemployment fell from 5.2 per cent to 4.8 per cent."), expected
    )


def test_several_quantities_come_in_text_order(nlp: Language) -> None:
    text = "About 300 people, 12% of them children, paid £5 each in 2021."
    expected = [
        ("About 300 people", 300, None, "people", "~"),
        ("12%", 12, None, "%", "="),
        ("£5", 5, None, "GBP", "="),
    ]
    assert_rows_match(rows_of(nlp, text), expected)


def test_empty_doc_gives_no_quantities(nlp: Language) -> None:
    assert find_quantities(nlp("")) == []


def test_text_without_numbers_gives_no_quantities(nlp: Language) -> None:
    assert find_quantities(nlp("The minister said the plan was over budget.")) == []


@pytest.mark.parametrize(
    "text",
    [
        # CRLF line breaks before the quantity
        "He said:\r\n\r\nabout 3 million people left.\r\nThen 40% stayed.",
        # emoji inside and around quantities
        "🙂 More than 3 billion 📷 images 😀 and £3.4bn 🎉 were lost.",
        # combining marks and non-Latin text before the number
        "Cafe\u0301 ünïcödé 北京: between 3 and 5 million people, one in five adults.",
        # tabs and no-break spaces
        "\tRevenue\u00a0rose 12 percent\tto $3.4 billion.",
    ],
)  # fmt: skip
def test_offsets_index_the_doc_text(nlp: Language, text: str) -> None:
    doc = nlp(text)
    found = find_quantities(doc)
    assert len(found) >= 2
    for q in found:
        matched = doc.text[q.start : q.end]
        assert matched == matched.strip()
        assert any(ch.isdigit() for ch in matched) or matched.split()[0].lower() in {
            "one", "more", "between", "about",
        }  # fmt: skip
        assert q.start < q.end


def test_offsets_on_emoji_text_cover_the_expected_words(nlp: Language) -> None:
    doc = nlp("😀😀 Nearly 40 percent of 🙂 homes\r\nlack broadband, a $3.4bn gap.")
    spans = [doc.text[q.start : q.end] for q in find_quantities(doc)]
    assert spans == ["Nearly 40 percent", "$3.4bn"]


def test_span_input_gives_offsets_into_the_whole_doc(nlp: Language) -> None:
    doc = nlp("Sales were flat. Then 3 million cars were sold.")
    second = list(doc.sents)[1]
    found = find_quantities(second)
    assert [doc.text[q.start : q.end] for q in found] == ["3 million cars"]
    assert found[0].start == doc.text.index("3 million")


def test_span_input_ignores_quantities_outside_the_span(nlp: Language) -> None:
    doc = nlp("About 300 people came. Nobody else did.")
    assert find_quantities(list(doc.sents)[1]) == []


def test_normalized_gives_the_claim_record_fields() -> None:
    q = Quantity(start=0, end=4, value=3e6, upper=5e6, unit="people", comparator="=")
    expected = {"value": 3e6, "upper": 5e6, "unit": "people", "comparator": "="}
    assert q.normalized() == expected


def test_quantity_from_text_normalizes_to_the_record_shape(nlp: Language) -> None:
    (q,) = find_quantities(nlp("More than 3 billion images were shared."))
    assert q.normalized() == {"value": 3e9, "upper": None, "unit": "images", "comparator": ">"}


def test_quantities_work_through_nlp_pipe(nlp: Language) -> None:
    texts = ["It cost $5m.", "", "Nothing here.", "Over 200 people came."]
    found = [[doc.text[q.start : q.end] for q in find_quantities(doc)] for doc in nlp.pipe(texts)]
    assert found == [["$5m"], [], [], ["Over 200 people"]]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", "", "  "])),
        max_size=14,
    )
)
def test_any_text_gives_ordered_trimmed_offsets(
    nlp: Language, parts: list[tuple[str, str]]
) -> None:
    doc = nlp("".join(piece + sep for piece, sep in parts))
    end = 0
    for q in find_quantities(doc):
        matched = doc.text[q.start : q.end]
        assert end <= q.start < q.end <= len(doc.text)
        assert matched == matched.strip()
        assert q.comparator in {"=", ">", ">=", "<", "<=", "~"}
        assert q.upper is None or q.upper > q.value
        end = q.end
