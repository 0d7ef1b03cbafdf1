"""The claim record: the contract newsroom tools code against (DESIGN.md).

Offsets are Python string indices into the article text as stored:
``article.text[start:end] == text`` holds for every claim and span.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from typing_extensions import TypedDict

from schemas.fields import DateOrUtcDatetime, RequestModel, UtcDatetime

SpanKind = Literal["quantity", "date", "entity", "quote"]
Comparator = Literal["=", ">", ">=", "<", "<=", "~"]
ClaimType = Literal[
    "quantity", "temporal", "comparison", "causal", "prediction", "attribution", "law_rule", "other"
]
AutoVerdict = Literal["supported", "contradicted", "related", "no_evidence"]
ReviewState = Literal["queued", "in_review", "verified", "dismissed"]
Stance = Literal["supports", "contradicts", "related"]


class TextRange(BaseModel):
    """A character range of the article text."""

    start: int = Field(description="Offset of the first character in the article text.")
    end: int = Field(description="Offset just past the last character (exclusive).")


_START = "Offset of the span's first character in the article text."
_END = "Offset just past the span's last character (exclusive)."
_TEXT = "The span as written: ``article.text[start:end]``."


class Span(BaseModel):
    """A checkable part of a claim: a quantity, a date, an entity or a quote.

    ``normalized`` holds, for quantities, ``value`` (float), ``upper`` (float or null,
    for ranges), ``unit`` (counted noun, ``%``, ``pp`` or an ISO currency) and
    ``comparator``; for dates, ISO ``value`` and ``granularity``
    (``day``, ``month``, ``quarter``, ``year``). The pipeline writes these; the API serves
    them typed by kind (``ClaimSpan``, below).
    """

    model_config = ConfigDict(extra="forbid")

    kind: SpanKind = Field(description="quantity, date, entity or quote.")
    text: str = Field(description=_TEXT)
    start: int = Field(description=_START)
    end: int = Field(description=_END)
    normalized: dict[str, Any] | None = Field(
        default=None, description="What a quantity or a date says (null for the other kinds)."
    )
    label: str | None = Field(default=None,
                              description="An entity's spaCy label (null for the other kinds).")

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Entity spans have a label, the others a normalized value: omit what is absent."""
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}


# The API's view of a span: one model per kind, told apart by ``kind``. ``normalized`` stays a
# dict at run time (a TypedDict), and every kind answers ``normalized`` and ``label`` like
# ``Span`` does, so code written against ``Span`` reads these too.


class QuantityValue(TypedDict):
    """A figure read as a number: ``value`` (to ``upper`` for a range) of ``unit``."""

    value: Annotated[float, Field(
        description="The figure as a plain number: '4.2 million' is 4200000, '7%' is 7, "
        "'40 cents' is 0.4 (USD)."
    )]
    upper: Annotated[float | None, Field(
        description="The top of a range ('3 to 5 million' is 3000000 to 5000000); null for a "
        "single figure."
    )]
    unit: Annotated[str | None, Field(
        description="What is counted: the noun as written, lower-cased ('jobs'), '%' for a "
        "percentage, 'pp' percentage points, 'bp' basis points, an ISO 4217 code for money "
        "('USD'), 'votes' for each side of a tally; null when nothing is named."
    )]
    comparator: Annotated[Comparator, Field(
        description="How the figure bounds the quantity: '=' exactly, '>' more than, '>=' at "
        "least, '<' less than, '<=' at most, '~' about."
    )]


class DateValue(TypedDict):
    """A date as an ISO string at the precision the text gives."""

    value: Annotated[str, Field(
        description="ISO date at that granularity: '2020-04-08' (day), '2020-04' (month), "
        "'2024-Q3' (quarter), '2019' (year). Relative dates ('last April') are anchored on "
        "the article's published_at, or on when it was received."
    )]
    granularity: Annotated[Literal["day", "month", "quarter", "year"], Field(
        description="How precise the date is."
    )]


class QuantitySpan(BaseModel):
    """A figure: an amount, money, a percentage or a range."""

    kind: Literal["quantity"] = Field(description="Always 'quantity'.")
    text: str = Field(description=_TEXT)
    start: int = Field(description=_START)
    end: int = Field(description=_END)
    normalized: QuantityValue = Field(description="The figure as a number, unit and comparator.")

    @property
    def label(self) -> None:
        return None


class DateSpan(BaseModel):
    """A date or period: absolute, or relative and anchored on the publication date."""

    kind: Literal["date"] = Field(description="Always 'date'.")
    text: str = Field(description=_TEXT)
    start: int = Field(description=_START)
    end: int = Field(description=_END)
    normalized: DateValue = Field(description="The date in ISO form and its precision.")

    @property
    def label(self) -> None:
        return None


class EntitySpan(BaseModel):
    """A named person, organisation, place, law, event or the like."""

    kind: Literal["entity"] = Field(description="Always 'entity'.")
    text: str = Field(description=_TEXT)
    start: int = Field(description=_START)
    end: int = Field(description=_END)
    label: str = Field(description="The spaCy entity label, e.g. PERSON, ORG, GPE (a "
                       "country or city), NORP (a nationality or group), LAW, EVENT.")

    @property
    def normalized(self) -> None:
        return None


class QuoteSpan(BaseModel):
    """Quoted words (three or more) inside quotation marks; the claim's ``speaker`` says who."""

    kind: Literal["quote"] = Field(description="Always 'quote'.")
    text: str = Field(description="The quoted words without the marks: "
                      "``article.text[start:end]``.")
    start: int = Field(description=_START)
    end: int = Field(description=_END)

    @property
    def normalized(self) -> None:
        return None

    @property
    def label(self) -> None:
        return None


ClaimSpan = Annotated[
    QuantitySpan | DateSpan | EntitySpan | QuoteSpan, Field(discriminator="kind")
]


class Evidence(BaseModel):
    """A stored source passage that bears on the claim, and how it bears on it."""

    source_id: str = Field(description="The source (``src_...``); read it at "
                           "``/v1/sources/{source_id}``.")
    kind: Literal["fact_check", "document"] = Field(
        description="fact_check (a published review with a rating) or document (a report, "
        "statistics page, press release or earlier article)."
    )
    title: str | None = Field(default=None, description="The source's title.")
    url: str | None = Field(default=None, description="Where the source can be read.")
    publisher: str | None = Field(default=None, description="Who published the source.")
    published_at: DateOrUtcDatetime | None = Field(
        default=None, description="When the source was published: an ISO date, or date and "
        "time when it has one."
    )
    snippet: str | None = Field(default=None,
                                description="The passage's words around what matched.")
    score: float = Field(default=0.0, description="How well the passage matches the claim, "
                         "0 to 1; the list is ordered by it, best first.")
    stance: Stance = Field(
        default="related", description="supports or contradicts when the passage's figures, "
        "dates or rating settle the claim; related when it is only about the same thing."
    )
    reason: str | None = Field(default=None, description="Why the stance was given, e.g. "
                               "'date 2020-04 matches'.")


class ReviewEvidence(RequestModel):
    """A piece of evidence a reviewer cites for the verdict."""

    url: str | None = Field(default=None, max_length=4000, description="Where it can be read.")
    source_id: str | None = Field(default=None, max_length=40,
                                  description="A stored source (``src_...``), when it is one.")
    title: str | None = Field(default=None, max_length=1000, description="What it is.")
    note: str | None = Field(default=None, max_length=5000,
                             description="What it shows about the claim.")


class Verification(BaseModel):
    """The automatic assessment (``auto``, ``confidence``, ``reason``, ``linked_at``) and the
    review (``state``, ``verdict``, ``assignee``, ``reviewed_at``, ``version``).

    Linking again when evidence changes rewrites only the automatic part; ``version`` counts
    the reviewer's writes (the ``If-Match`` check), so a re-link never makes a review stale.
    """

    auto: AutoVerdict = Field(
        default="no_evidence", description="The automatic assessment from the evidence: "
        "supported, contradicted, related (evidence on the topic settles nothing) or "
        "no_evidence. A hint for the reviewer, never a verdict."
    )
    confidence: float = Field(default=0.0,
                              description="How sure the automatic assessment is, 0 to 1.")
    reason: str | None = Field(default=None,
                               description="Why the automatic assessment is what it is.")
    linked_at: UtcDatetime | None = Field(
        default=None, description="When the evidence shown was last looked up (null: never)."
    )
    state: ReviewState = Field(default="queued", description="The review state: queued, "
                               "in_review, verified or dismissed.")
    verdict: str | None = Field(default=None, description="The reviewer's verdict, a level "
                                "of the organisation's rating scale (null until reviewed).")
    assignee: str | None = Field(default=None,
                                 description="Who is reviewing the claim (null: nobody).")
    reviewed_at: UtcDatetime | None = Field(default=None,
                                            description="When the verdict was last set.")
    version: int = Field(default=1, description="Counts the review's writes; send it as "
                         "``If-Match`` when changing the review (the ``ETag``).")
    rationale: str | None = Field(default=None,
                                  description="The reviewer's explanation of the verdict.")
    dismiss_reason: str | None = Field(default=None,
                                       description="Why the claim was dismissed.")
    reviewer: str | None = Field(default=None, description="The key id of whoever last "
                                 "verified or dismissed the claim.")
    review_evidence: list[ReviewEvidence] = Field(
        default_factory=list, description="The evidence the reviewer cites for the verdict.")


class ClaimRecord(BaseModel):
    """What the pipeline produces for one claim (no ids yet: storage assigns them)."""

    text: str = Field(description="The claim as written: ``article.text[start:end]``.")
    start: int = Field(description="Offset of the claim's first character in the article text.")
    end: int = Field(description="Offset just past the claim's last character (exclusive).")
    statement: str = Field(description="The claim restated to stand alone: the subject named, "
                           "dates absolute, saying no more than the article.")
    sentence: TextRange = Field(description="The sentence the claim is in.")
    checkworthiness: float = Field(ge=0.0, le=1.0, description="How worth checking the claim "
                                   "is, 0 to 1; lists of claims are ordered by it.")
    types: list[ClaimType] = Field(default_factory=list, description="What kind of claim it "
                                   "is (after Full Fact's typology); may be several.")
    spans: list[Span] = Field(default_factory=list, description="The checkable parts of the "
                              "claim, in text order.")
    speaker: str | None = Field(default=None, description="Who the article says made the "
                                "claim, as named there (null: the article itself).")


class ClaimOut(ClaimRecord):
    """A stored claim, as the API serves it."""

    id: str = Field(description="The claim's id (``clm_...``).")
    article_id: str = Field(description="The article the claim is from (``art_...``).")
    # Typed by kind: each item also reads like a ``Span`` (``kind``, ``text``, ``start``,
    # ``end``, ``normalized``, ``label``), so the linker takes a ClaimOut as a ClaimRecord.
    spans: list[ClaimSpan] = Field(  # type: ignore[assignment]
        default_factory=list, description="The checkable parts of the claim, in text order, "
        "told apart by ``kind``."
    )
    evidence: list[Evidence] = Field(default_factory=list, description="Stored sources that "
                                     "bear on the claim, best match first.")
    verification: Verification = Field(default_factory=Verification,
                                       description="The automatic assessment and the review.")
