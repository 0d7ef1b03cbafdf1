"""Tests for statement building: claim units in, self-contained searchable statements out."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from workers.pipeline.clauses import ClaimUnit, split_units
from workers.pipeline.pipeline import build_pipeline
from workers.pipeline.references import resolve_leading_pronoun, resolve_speaker
from workers.pipeline.statements import build_statement


def unit_over(text: str, part: str, kind: str = "sentence",
              subject: str | None = None) -> ClaimUnit:
    """A unit covering the first occurrence of part in text."""
    start = text.index(part)
    return ClaimUnit(start=start, end=start + len(part), kind=kind, subject=subject,
                     speaker=None, root=0)


@pytest.mark.parametrize(
    ("text", "part", "kind", "subject", "expected"),
    [
        # relative unit that starts with the antecedent
        ("Krishna, who took over the role in April, said so.", "Krishna, who took over the role "
         "in April", "relative", "Krishna", "Krishna took over the role in April."),
        # relative unit that starts with the pronoun: the subject goes in front
        ("Krishna, who took over the role in April, said so.", "who took over the role in April",
         "relative", "Krishna", "Krishna took over the role in April."),
        # "which" with a lowercase antecedent gets a capital
        ("the plant, which opened in 1998", "the plant, which opened in 1998", "relative",
         "the plant", "The plant opened in 1998."),
        # "whose" becomes a possessive
        ("The company, whose shares fell 8 percent", "The company, whose shares fell 8 percent",
         "relative", "The company", "The company's shares fell 8 percent."),
        # appositive becomes "is"
        ("Arvind Krishna, IBM's chief executive since 2020, said", "Arvind Krishna, IBM's chief "
         "executive since 2020", "appositive", "Arvind Krishna",
         "Arvind Krishna is IBM's chief executive since 2020."),
        # parenthesised appositive loses its brackets
        ("Lopez (the ministry's chief economist) said", "Lopez (the ministry's chief economist)",
         "appositive", "Lopez", "Lopez is the ministry's chief economist."),
        # plural subject takes "are"
        ("The two companies, rivals since 1998, merged", "The two companies, rivals since 1998",
         "appositive", "The two companies", "The two companies are rivals since 1998."),
        # appositive text without its antecedent: the subject and copula go in front
        ("Krishna, IBM's chief executive, said", "IBM's chief executive", "appositive", "Krishna",
         "Krishna is IBM's chief executive."),
        # CR/LF and tabs collapse to single spaces
        ("Sales\r\nrose\t\t12  percent", "Sales\r\nrose\t\t12  percent", "sentence", None,
         "Sales rose 12 percent."),
        # an existing final period is not doubled
        ("The firm moved to the U.S.", "The firm moved to the U.S.", "sentence", None,
         "The firm moved to the U.S."),
        # a question mark stays
        ("Did the plant close in 2019?", "Did the plant close in 2019?", "sentence", None,
         "Did the plant close in 2019?"),
        # a stop inside closing quotes stays as it is
        ('She said: "We will not raise taxes."', 'She said: "We will not raise taxes."',
         "attribution", None, 'She said: "We will not raise taxes."'),
        # a leading quote still gets a capital after it
        ('"we will grow" was the motto', '"we will grow" was the motto', "sentence", None,
         '"We will grow" was the motto.'),
        # a leading number is left alone
        ("500 engineers were hired", "500 engineers were hired", "reported", None,
         "500 engineers were hired."),
    ],
)
def test_build_statement_rewrites_unit_text(
    text: str, part: str, kind: str, subject: str | None, expected: str
) -> None:
    assert build_statement(text, unit_over(text, part, kind, subject)) == expected


def test_build_statement_applies_replacements_with_the_subject_put_back() -> None:
    text = "Krishna, who took over the chief executive role in April, added more."
    unit = unit_over(text, "Krishna, who took over the chief executive role in April", "relative",
                     "Krishna")
    april = text.index("in April")
    statement = build_statement(text, unit,
                                replacements=[(april, april + len("in April"), "in April 2020")])
    assert statement == "Krishna took over the chief executive role in April 2020."


def test_build_statement_replaces_a_leading_pronoun() -> None:
    text = "He said revenue would double"
    unit = unit_over(text, text, "attribution")
    assert build_statement(text, unit, replacements=[(0, 2, "Arvind Krishna")]) == (
        "Arvind Krishna said revenue would double."
    )


def test_build_statement_on_empty_unit_is_empty() -> None:
    assert build_statement("", ClaimUnit(0, 0, "sentence", None, None, 0)) == ""


@pytest.mark.parametrize(
    "replacement",
    [
        # starts before the unit
        (0, 12, "x"),
        # ends after the unit
        (20, 40, "x"),
        # end before start
        (20, 18, "x"),
    ],
)
def test_build_statement_refuses_replacements_outside_the_unit(
    replacement: tuple[int, int, str]
) -> None:
    text = "Yesterday, sales rose 12 percent."
    unit = unit_over(text, "sales rose 12 percent")
    with pytest.raises(ValueError):
        build_statement(text, unit, replacements=[replacement])


def test_build_statement_refuses_overlapping_replacements() -> None:
    text = "sales rose 12 percent"
    with pytest.raises(ValueError):
        build_statement(text, unit_over(text, text), replacements=[(0, 10, "a"), (6, 12, "b")])


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # "He" with one person in the previous sentence
        ("Arvind Krishna joined IBM in 1990. He said revenue would double.", "attribution",
         "Arvind Krishna"),
        # "He" inside the same sentence, before the unit
        ("Arvind Krishna said he would stay until 2025.", "reported", "Arvind Krishna"),
        # "It" with one organisation
        ("IBM reported results on Monday. It said revenue would double.", "attribution", "IBM"),
        # "His" becomes a possessive
        ("Arvind Krishna joined IBM in 1990. His company reported higher profits.", "sentence",
         "Arvind Krishna's"),
    ],
)
def test_resolve_leading_pronoun_finds_the_single_candidate(
    nlp: Language, text: str, kind: str, expected: str
) -> None:
    doc = nlp(text)
    sents = list(doc.sents)
    sent = sents[-1]
    unit = next(u for u in split_units(sent) if u.kind == kind)
    found = resolve_leading_pronoun(sent, unit, sents[:-1])
    assert found is not None
    start, end, new_text = found
    assert doc.text[start:end].lower() in {"he", "it", "his"}
    assert (start, new_text) == (unit.start, expected)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # two people: ambiguous
        ("Arvind Krishna met Maria Lopez. She said the deal was final.", "attribution"),
        # two organisations: ambiguous
        ("IBM and Microsoft reported results. It said revenue would double.", "attribution"),
        # no compatible entity (a person for "it")
        ("Arvind Krishna spoke on Monday. It said revenue would double.", "attribution"),
        # the unit does not start with a pronoun
        ("Arvind Krishna joined IBM in 1990. The company said revenue would double.",
         "attribution"),
        # no previous sentence at all
        ("He said revenue would double.", "attribution"),
        # "it" after a thing in its own sentence may be that thing
        ("A Senate committee backed the bill. The bill's sponsor said it would pay for "
         "repairs to 1,100 water systems.", "reported"),
    ],
)
def test_resolve_leading_pronoun_gives_up_when_unsure(
    nlp: Language, text: str, kind: str
) -> None:
    doc = nlp(text)
    sents = list(doc.sents)
    unit = next(u for u in split_units(sents[-1]) if u.kind == kind)
    assert resolve_leading_pronoun(sents[-1], unit, sents[:-1]) is None


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        # "She" with one person in the previous sentence
        ("Maria Lopez runs the port. She said volumes rose.", "She", "Maria Lopez"),
        # two people: the pronoun stays
        ("Arvind Krishna met Maria Lopez. She said the deal was final.", "She", "She"),
        # a named speaker is kept as it is
        ("Maria Lopez runs the port. The mayor said volumes rose.", "The mayor", "The mayor"),
    ],
)
def test_resolve_speaker_names_a_pronoun_speaker_when_sure(
    nlp: Language, text: str, speaker: str, expected: str
) -> None:
    sents = list(nlp(text).sents)
    assert resolve_speaker(sents[-1], speaker, sents[:-1]) == expected


def test_statements_for_a_parsed_sentence_are_self_contained(nlp: Language) -> None:
    doc = nlp("Arvind Krishna, who took over the chief executive role in April, added that the "
              "company would hire more engineers.")
    statements = [build_statement(doc.text, u) for u in split_units(next(doc.sents))]
    assert statements == [
        "Arvind Krishna, who took over the chief executive role in April, added that the company "
        "would hire more engineers.",
        "Arvind Krishna took over the chief executive role in April.",
        "The company would hire more engineers.",
    ]


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # "the company" names the organisation of the sentence before, also in its clause
        ("Halvorsen Foods reported its results on Monday. The company, which opened its "
         "first store in 1962, now runs 140 shops.", "Halvorsen Foods now runs 140 shops."),
        ("Halvorsen Foods reported its results on Monday. The company, which opened its "
         "first store in 1962, now runs 140 shops.",
         "Halvorsen Foods opened its first store in 1962."),
        # the one organisation in sight, though a person is the subject
        ("Arvind Krishna joined IBM in 1990. The company said revenue would double.",
         "IBM said revenue would double."),
        # "the country" is a place
        ("Norway raised taxes in 2023. The country now collects 40 percent of GDP.",
         "Norway now collects 40 percent of GDP."),
        # "the proposal" is the fuller phrase named before, its owner spelled out
        ("The council published its parking proposal on Monday. The proposal would raise "
         "fees by 4 percent.", "The council's parking proposal would raise fees by 4 percent."),
        # a subject pronoun after an opening phrase
        ("Halvard Shipping posted a loss.\n\nIn February it sold its tanker division for "
         "$410 million.", "In February 2024 Halvard Shipping sold its tanker division for "
         "$410 million."),
        # "it" is what the sentence before was about: a shorter name of an organisation
        ("Lindqvist Nutrition Inc. makes formula. Lindqvist is the third-largest maker in the "
         "U.S. It employs about 2,000 people.", "Lindqvist Nutrition Inc. employs about 2,000 "
         "people."),
        # ... or a description of one
        ("The Federal Food Safety Agency ordered a recall of 250,000 cans. Lindqvist Inc. "
         "makes them. The agency said no illnesses had been reported. It last ordered a "
         "formula recall in 2019.",
         "The Federal Food Safety Agency last ordered a formula recall in 2019."),
        # a person described by age
        ("Marta Koval won the final on Sunday, beating Elise Duran. The 24-year-old earned "
         "$1.1 million in prize money.", "Marta Koval earned $1.1 million in prize money."),
        # a name the tagger cut short gets its first word back; "the port" may be a place
        ("Kestrel Bay Port moved 1.8 million containers last year.\n\nThe port employs 3,200 "
         "people.", "Kestrel Bay Port employs 3,200 people."),
        # "the city" named two paragraphs before, without its possessive
        ("The court ruled that Port Alder's ban on short lets was unlawful.\n\nRents rose "
         "18 percent in two years.\n\nThe mayor said the city would ask lawmakers to change "
         "the law.", "The mayor said Port Alder would ask lawmakers to change the law."),
        # "the cuts" in a story about one company
        ("Corvane Inc. plans to cut 1,200 jobs.\n\nThe cuts are expected to save $150 million "
         "a year.", "Corvane Inc.'s cuts of 1,200 jobs are expected to save $150 million a year."),
        # "the agency" is not the name it qualifies ("The U.N. agency said it ...")
        ("About 2.3 million people need food aid, the World Food Programme said. The U.N. "
         "agency said it had received only 35 percent of the $220 million.",
         "The World Food Programme had received only 35 percent of the $220 million."),
        # "the mine" named before with its name
        ("Workers at the Cerro Pardo mine walked out on Monday. The mine produced 312,000 "
         "tonnes of copper last year.",
         "The Cerro Pardo mine produced 312,000 tonnes of copper in 2023."),
        # a company the tagger does not know, acting as a subject
        ("Estonian rail operator Rannaraud said on Thursday it would cut 280 jobs.\n\nThe "
         "company moved 9.4 million tonnes of freight last year.",
         "Rannaraud moved 9.4 million tonnes of freight in 2023."),
        # a name ending like an organisation is one, whatever the tagger says
        ("The chief executive of Greyholt Water said costs rose.\n\nThe utility plans to "
         "spend £210 million on new pipes.",
         "Greyholt Water plans to spend £210 million on new pipes."),
        # "the city" is not a council whose name holds "City", but the city it is of
        ("The Harwick City Council approved the lane on Monday. The city will pay for a "
         "third of the work.", "Harwick will pay for a third of the work."),
        # "the cuts" after "X said it plans to cut": whoever does the verb
        ("Corvane Inc. said on Tuesday it plans to cut 1,200 jobs.\n\nThe cuts are expected "
         "to save $150 million a year.",
         "Corvane Inc.'s cuts of 1,200 jobs are expected to save $150 million a year."),
        # "the university" is the "University of ..." named before
        ("The University of Ardmore led the study. The university said the trial was funded "
         "by the Hallam Trust.",
         "The University of Ardmore said the trial was funded by the Hallam Trust."),
        # a public body only takes a name that sounds like one
        ("Grid operator Enlace Nacional cut supply on Monday. The ministry expects the cuts to "
         "affect about 4,000 farms.",
         "The ministry expects Enlace Nacional's cuts of supply to affect about 4,000 farms."),
        # a charity is not the court that tried its boss
        ("Sallowby Crown Court jailed the former chief executive on Thursday. The charity has "
         "recovered £71,500 of the money.", "The charity has recovered £71,500 of the money."),
        # "the Calderbridge-based group": Calderbridge is where it is, not who it is
        ("Revenue at the Calderbridge-based group rose 18 percent. The group's order book "
         "stood at £1.4 billion.", "The group's order book stood at £1.4 billion."),
        # "a plan" named before takes its owner
        ("Ashby's council has drawn up a plan to raise parking charges.\n\nThe plan would "
         "bring in an extra £1.2 million a year.",
         "Ashby's council's plan would bring in an extra £1.2 million a year."),
        # two organisations as one subject: the words stay
        ("IBM and Microsoft reported results. The company said revenue rose 4 percent.",
         "The company said revenue rose 4 percent."),
        # nothing compatible in sight: the words stay
        ("Prices rose in March. The company said revenue rose 4 percent.",
         "The company said revenue rose 4 percent."),
        # the subject after an opening phrase, and a grocer is an organisation
        ("Brennvik Foods Inc. reported a profit. Founded in 1958 as a corner shop, the grocer "
         "now has 212 supermarkets.", "Founded in 1958 as a corner shop, Brennvik Foods Inc. "
         "now has 212 supermarkets."),
        # the company owning the subject, two paragraphs on: the article's one organisation
        ("Halvard Shipping posted a loss on Monday.\n\nFreight rates slumped.\n\nThe company's "
         "shares rose 7 percent in Oslo trading.",
         "Halvard Shipping's shares rose 7 percent in Oslo trading."),
        # "it" is the organisation, not the region named after it
        ("Brennvik Foods reported a profit. It now has 212 supermarkets across the Midwest."
         "\n\nIt also said it will no longer sell tobacco products.",
         "Brennvik Foods also said it will no longer sell tobacco products."),
        # a wire dateline is where the story was filed, not who acted
        ("OSLO, March 3 (Wire) - Prices fell.\n\nThe company carried 4.6 million passengers "
         "last year.", "The company carried 4.6 million passengers in 2023."),
    ],
)
def test_statements_name_what_a_description_stands_for(text: str, statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # "its" inside the subject's phrase names the organisation "it" would
        ("Norvik Telecom said on Monday it had 2.1 million customers. About 40 percent of its "
         "users pay monthly.", "About 40 percent of Norvik Telecom's users pay monthly."),
        ("Pellmark Foods reported a loss on Friday. Half of their stores will close by 2026.",
         "Half of Pellmark Foods's stores will close by 2026."),
        # an "its" inside a clause of the subject is the clause's own business
        ("Halvorsen Foods reported its results on Monday. The company, which opened its "
         "first store in 1962, now runs 140 shops.", "Halvorsen Foods now runs 140 shops."),
    ],
)
def test_a_possessive_in_the_subject_names_what_it_would_name(text: str,
                                                              statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # the speaker of a split attribution owns the measure
        ("Revenue nearly doubled in 2023, Tollway said.", "Tollway's revenue nearly doubled "
         "in 2023."),
        # the organisation of the sentence before
        ("Kestrel Logistics opened a depot in Leeds on Monday. Revenue nearly doubled in "
         "2023, the company said.", "Kestrel Logistics's revenue nearly doubled in 2023."),
        # the article's one organisation, paragraphs on
        ("Brackwell Mining Ltd. reported record output.\n\nThe shares closed up 3.2 percent "
         "at 410 pence.", "Brackwell Mining Ltd.'s shares closed up 3.2 percent at 410 pence."),
        # a description owning the measure through "at"
        ("Ostervik Paper cut 300 jobs in May. Sales at the group fell 9 percent in 2023.",
         "Sales at Ostervik Paper fell 9 percent in 2023."),
        # a measure with an owner keeps it; a measure of no company stays as it is
        ("Ostervik Paper cut 300 jobs in May. Sales of paper fell 9 percent in 2023.",
         "Sales of paper fell 9 percent in 2023."),
        ("Prices rose in March. Sales fell 9 percent in 2023.", "Sales fell 9 percent in 2023."),
    ],
)
def test_a_company_measure_without_an_owner_takes_the_company(text: str,
                                                             statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a name introduced by an organisation noun is an organisation, though tagged a person
        ("Staff at budget airline Flyndra will strike in July.\n\nThe airline carried 8 "
         "million passengers in 2023.", "Flyndra carried 8 million passengers in 2023."),
        # a one-word name in apposition names its description
        ("Staff at Flyndra will strike in July. The union, CABRA, wants a pay rise of 7 "
         "percent.", "CABRA wants a pay rise of 7 percent."),
        # "the city of X" makes X a place, and "it" after "the city" is that place
        ("The port city of Velmora will build a ferry terminal.\n\nThe city expects the work "
         "to cost 40 million euros. It says one in four of its residents commutes by boat.",
         "Velmora says one in four of its residents commutes by boat."),
        # "the county health department" takes the county's name
        ("Only 40 percent of Tarrow County residents got a flu shot, the county health "
         "department said on Thursday.\n\nThe department recorded 12 deaths in 2023.",
         "The Tarrow County health department recorded 12 deaths in 2023."),
    ],
)
def test_names_the_small_model_mislabels_still_resolve(text: str, statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("Sen. Ana Ruiz (D-NM) said the bill would cost $4 billion over ten years.",
         "Sen. Ana Ruiz said the bill would cost $4 billion over ten years."),
        ("Rep. Tom Kell (R-Texas) voted against the $2 billion package on Friday.",
         "Rep. Tom Kell voted against the $2 billion package on Friday, March 1, 2024."),
        ("Shares of Acme Corp. (NYSE: ACM) rose 4 percent in 2023.",
         "Shares of Acme Corp. rose 4 percent in 2023."),
    ],
)
def test_bracketed_party_and_ticker_labels_stay_out_of_statements(text: str,
                                                                   statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        # two facts under one subject: two claims, each naming the subject
        ("Ardwell Hospital hired 420 nurses in 2023 and plans to reach 600 by 2026.",
         {"Ardwell Hospital hired 420 nurses in 2023.",
          "Ardwell Hospital plans to reach 600 by 2026."}),
        # the shared subject is named as the first claim names it
        ("Ardwell Hospital opened in 1990. It hired 420 nurses in 2023 and plans to reach 600 "
         "by 2026, its director said.",
         {"Ardwell Hospital hired 420 nurses in 2023.",
          "Ardwell Hospital plans to reach 600 by 2026."}),
    ],
)
def test_two_facts_under_one_subject_become_two_standalone_claims(
        text: str, statements: set[str]) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statements <= {c.statement for c in claims if c.checkworthiness >= 0.5}


@pytest.mark.parametrize(
    ("text", "queued"),
    [
        ("Mayor Tom Brandt called the growth \"remarkable\" and said the city added 12,000 "
         "jobs in 2023.", ["The city added 12,000 jobs in 2023."]),
        ("Finance Minister Lena Holm welcomed the figures and said that exports rose 8 "
         "percent in 2023.", ["Exports rose 8 percent in 2023."]),
    ],
)
def test_an_opinion_wrapper_is_left_out_of_what_was_said(text: str, queued: list[str]) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert [c.statement for c in claims if c.checkworthiness >= 0.5] == queued


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a noun named with its place once, described plainly paragraphs later
        ("Brackenford harbour reopened on Monday.\n\nTraders cheered.\n\nFishermen waited."
         "\n\nThe harbour handled 9,000 boats in 2023.",
         "Brackenford harbour handled 9,000 boats in 2023."),
        # an action noun stands for the action told earlier, with who did it to what
        ("Ostmere will extend its metro line to the stadium.\n\nThe extension will cost "
         "90 million euros.",
         "Ostmere's extension of its metro line to the stadium will cost 90 million euros."),
        # two paragraphs on, from the article's memory
        ("Ostmere will extend its metro line to the stadium.\n\nNobody objected.\n\nFans "
         "cheered.\n\nThe extension will cost 90 million euros.",
         "Ostmere's extension of its metro line to the stadium will cost 90 million euros."),
        # with nothing told earlier the words stay
        ("The council met on Monday. Repairs have been estimated at £1.2 million.",
         "Repairs have been estimated at £1.2 million."),
        # a bare plural action noun with nobody named as doer keeps the object only
        ("The fees will pay for repairing the old pier. Repairs have been estimated at "
         "£1.2 million.", "Repairs of the old pier have been estimated at £1.2 million."),
    ],
)
def test_descriptions_out_of_sight_take_the_articles_earlier_name(text: str,
                                                                  statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # "the city" is the place a city council's name is of
        ("The Pellsworth City Council voted 5-2 on Monday to close the library.\n\nThe city "
         "will pay for half of the new building.",
         "Pellsworth will pay for half of the new building."),
        # a county keeps its noun
        ("The Arnmoor County Council met on Monday.\n\nThe county will spend £2 million on "
         "roads.", "Arnmoor County will spend £2 million on roads."),
        # a place description that is not the subject is named too
        ("Schools in Fenwold County will offer free lunches from May. Lunches will cost the "
         "county £1.10 per child.", "Lunches will cost Fenwold County £1.10 per child."),
        # "the city centre" is a part of a city, not the city: the words stay
        ("Tarnby will close three car parks. Parking in the city centre will cost £3 an hour.",
         "Parking in the city centre will cost £3 an hour."),
    ],
)
def test_place_descriptions_take_the_places_name(text: str, statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert statement in {c.statement for c in claims}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a season keeps its name beside the year it is in
        ("Fallowby Mills plans to close its Ashdene plant next spring.",
         "Fallowby Mills plans to close its Ashdene plant in spring 2025."),
        # "the year" of a part of the year becomes the year
        ("Fallowby Mills said sales fell 8 percent in the first nine months of the year.",
         "sales fell 8 percent in the first nine months of 2024."),
    ],
)
def test_seasons_and_parts_of_the_year_name_their_year(text: str, statement: str) -> None:
    claims = build_pipeline().run(text, date(2024, 3, 5))
    assert any(statement in c.statement for c in claims), [c.statement for c in claims]
