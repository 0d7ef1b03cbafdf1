"""``claimdesk extract FILE`` (``-``: standard input): the pipeline offline, no server, no Redis,
no database."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from schemas.claims import ClaimRecord
from service.store.settings import Settings


def run_extract(path: str, *, published_at: str | None, fmt: str,
                settings: Settings | None = None) -> int:
    """Print the claims of one text file (``-``: standard input); the model and sentence limit
    come from the settings. Without ``published_at`` relative dates anchor on today, and
    standard error says so."""
    from workers.pipeline.pipeline import PipelineConfig, build_pipeline

    settings = settings or Settings()
    try:
        text = read_text(path)
        anchor = date.fromisoformat(published_at) if published_at else None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        sys.stderr.write(f"claimdesk extract: {exc}\n")
        return 2
    if anchor is None:
        anchor = date.today()
        sys.stderr.write(f"claimdesk extract: relative dates are anchored on today, "
                         f"{anchor.isoformat()}; pass --published-at YYYY-MM-DD to anchor them "
                         "on the article's date\n")
    config = PipelineConfig(model=settings.spacy_model,
                            max_sentence_chars=settings.max_sentence_chars,
                            semantic_checkworthiness=settings.checkworthiness_semantic)
    try:
        pipeline = build_pipeline(config)
    except OSError as exc:  # spaCy's "can't find model": the package is not installed
        sys.stderr.write(f"claimdesk extract: cannot load the spaCy model "
                         f"{settings.spacy_model!r} (CLAIMDESK_SPACY_MODEL): {exc}\n")
        return 2
    records = pipeline.run(text, anchor)
    if fmt == "json":
        payload = {"claims": [r.model_dump(mode="json", exclude_none=True) for r in records]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_table(records))
    return 0


def read_text(path: str) -> str:
    """The file's text (UTF-8); ``-`` reads standard input."""
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    return Path(path).read_text(encoding="utf-8")


def format_table(records: list[ClaimRecord], width: int = 70) -> str:
    """One row a claim: score, types, offsets, text (shortened), and its normalized spans."""
    lines = [f"{'score':>5}  {'types':<22} {'offsets':<13} claim", "-" * (width + 44)]
    for r in records:
        text = " ".join(r.text.split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        types = ",".join(r.types)[:22]
        lines.append(f"{r.checkworthiness:5.2f}  {types:<22} {f'{r.start}-{r.end}':<13} {text}")
        for span in r.spans:
            if span.normalized:
                values = " ".join(f"{k}={v}" for k, v in span.normalized.items() if v is not None)
                lines.append(f"{'':43}  · {span.kind} {span.text!r}: {values}")
    lines.append(f"{len(records)} claim(s)")
    return "\n".join(lines) + "\n"
