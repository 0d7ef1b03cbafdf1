"""Cost linear in the document's length, checked by counting work rather than timing it.

spaCy's ``Doc.ents`` and ``Doc.text`` (and ``Span.ents``, which calls ``Doc.ents``) walk every
token of the Doc: read once per sentence, they make a long document's cost grow with the square
of its length; so does comparing every organisation the article has named with every other for
each claim. spaCy's compiled classes report their calls to ``cProfile``, so the tests count
those walks, the Token objects made and all calls, on documents of 4 and 24 paragraph blocks.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.tokens import Doc

from workers.pipeline.entities import EntityIndex, SentenceSpan
from workers.pipeline.names import distinct as _distinct
from workers.pipeline.pipeline import Pipeline

# Entities, pronouns and descriptions to resolve, counted nouns, dates and a quote: every
# stage that reads entities or the text has something to do in each paragraph.
BLOCK = (
    "Halvorsen Foods reported its results in Oslo on Monday.\n\n"
    "The company, which opened its first store in 1962, now runs 140 shops. It sold 12 "
    "trucks and 3 e-mail servers last year. Chief executive Mona Aalberg said sales rose "
    '8 percent to $4.5 billion. "We will open 20 more shops in Norway," she said.\n\n'
    "The council's parking proposal would raise fees by 4 percent, officials in Bergen said."
)
SMALL, LARGE = 4, 24
# One company per block in the varied documents: the article's list of names grows too.
COMPANIES = ("Halvorsen Arntzen Berglund Dahlberg Ekdahl Fjeldstad Gulbrandsen Hovland Iversen "
             "Jacobsen Kvalheim Lindqvist Mikkelsen Nordahl Opsahl Pedersen Quist Rasmussen "
             "Solberg Thorsen Ullmann Vestby Wahlstrom Ytterstad").split()

Key = tuple[str, int, str]


def _calls(fn: Callable[[], object]) -> dict[Key, int]:
    """How many times each profiled function was called while ``fn`` ran."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    stats: dict[Key, tuple] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return {key: value[1] for key, value in stats.items()}


def _spacy_keys(calls: dict[Key, int], name: str) -> set[Key]:
    return {key for key in calls if "spacy" in key[0] and key[2] == name}


@pytest.fixture(scope="module")
def docs(pipeline: Pipeline) -> tuple[Doc, Doc]:
    small, large = ("\n\n".join([BLOCK] * n) for n in (SMALL, LARGE))
    return pipeline.nlp(small), pipeline.nlp(large)


@pytest.fixture(scope="module")
def varied_docs(pipeline: Pipeline) -> tuple[Doc, Doc]:
    small, large = ("\n\n".join(BLOCK.replace("Halvorsen", name) for name in COMPANIES[:n])
                    for n in (SMALL, LARGE))
    return pipeline.nlp(small), pipeline.nlp(large)


@pytest.fixture(scope="module")
def probes(docs: tuple[Doc, Doc]) -> dict[str, set[Key]]:
    """The profiler keys of the whole-Doc getters and of Token creation in this spaCy build."""
    doc = docs[0]
    found = {
        "Doc.ents": _spacy_keys(_calls(lambda: doc.ents), "__get__"),
        "Doc.text": _spacy_keys(_calls(lambda: doc.text), "__get__"),
        "Token": {k for k in _calls(lambda: doc[0]) if "token" in k[0] and "cinit" in k[2]},
    }
    if not all(len(keys) == 1 for keys in found.values()):
        pytest.skip(f"this spaCy build does not report its calls to cProfile: {found}")
    return found


def _count(calls: dict[Key, int], keys: set[Key]) -> int:
    return sum(calls.get(key, 0) for key in keys)


def _extract_calls(pipeline: Pipeline, doc: Doc) -> dict[Key, int]:
    return _calls(lambda: pipeline.extract(doc, date(2024, 3, 5)))


def test_whole_doc_walks_do_not_grow_with_the_document(
    pipeline: Pipeline, docs: tuple[Doc, Doc], probes: dict[str, set[Key]]
) -> None:
    small, large = (_extract_calls(pipeline, doc) for doc in docs)
    for getter in ("Doc.ents", "Doc.text"):
        assert _count(large, probes[getter]) == _count(small, probes[getter]) <= 2, getter


def test_work_grows_with_the_document(
    pipeline: Pipeline, varied_docs: tuple[Doc, Doc], probes: dict[str, set[Key]]
) -> None:
    small, large = (_extract_calls(pipeline, doc) for doc in varied_docs)
    # linear: at most about LARGE / SMALL (6) times as much; one whole-Doc walk per sentence,
    # or every name compared with every other per claim, make it grow with the square
    limit = 1.25 * LARGE / SMALL
    assert _count(large, probes["Token"]) / _count(small, probes["Token"]) < limit
    assert sum(large.values()) / sum(small.values()) < limit


def test_the_claims_of_each_repeated_block_are_the_same(
    pipeline: Pipeline, docs: tuple[Doc, Doc]
) -> None:
    text = docs[1].text
    claims = pipeline.extract(docs[1], date(2024, 3, 5))
    step = len(BLOCK) + 2
    per_block = [[(c.start - i * step, c.statement, c.checkworthiness) for c in claims
                  if i * step <= c.start < (i + 1) * step] for i in range(LARGE)]
    assert text.count(BLOCK) == LARGE
    assert per_block[0] and all(block == per_block[1] for block in per_block[1:])


def test_entity_index_gives_what_span_ents_gives(docs: tuple[Doc, Doc]) -> None:
    doc = docs[0]
    index = EntityIndex(doc)
    spans = [*doc.sents, doc[:], doc[0:0], doc[3:4], doc[2:40], doc[len(doc) - 5 :]]
    spans += [doc[ent.start + 1 : ent.end + 3] for ent in doc.ents if len(ent) > 1]
    for span in spans:
        assert [(e.start, e.end, e.label_) for e in index.within(span)] == [
            (e.start, e.end, e.label_) for e in span.ents
        ], span.text
        sent = index.sentence(span)
        assert isinstance(sent, SentenceSpan) and (sent.start, sent.end) == (span.start, span.end)
        assert sent.ents == index.within(span) and sent.text == span.text
    with pytest.raises(ValueError):
        index.within(docs[1][0:5])


def _distinct_pairwise(names: list[str]) -> list[str]:
    """``_distinct`` by its definition: every name compared with every other."""
    unique = {" ".join(name.split()) for name in names} - {""}
    return sorted(name for name in unique if not any(
        other != name and set(name.split()) <= set(other.split()) for other in unique))


@given(st.lists(st.lists(st.sampled_from(["Acme", "Corp", "Bank", "of", "Oslo", " ", "Nord"]),
                         max_size=4).map(" ".join), max_size=12))
def test_distinct_names_are_the_names_no_other_name_holds(names: list[str]) -> None:
    assert _distinct(names) == _distinct_pairwise(names)


def test_distinct_names_cost_grows_with_the_names() -> None:
    kinds = ("Foods", "Bank", "Shipping", "Group", "Holdings ASA", "Energy", "Media", "")
    small, large = ([f"{name} {kind}".strip() for name in COMPANIES[:n] for kind in kinds]
                    for n in (SMALL, LARGE))
    assert _distinct(large) == sorted(name for name in large if name not in COMPANIES)
    calls = [sum(_distinct_calls(names).values()) for names in (small, large)]
    assert calls[1] / calls[0] < 1.25 * LARGE / SMALL


def _distinct_calls(names: list[str]) -> dict[Key, int]:
    return _calls(lambda: _distinct(names))
