"""Loaders for the check-worthiness benchmarks (CheckThat! 2024 task 1 English, CLEF-2019 task 1).

Requires: a dataset folder laid out as in its README. Assigns: nothing; returns plain records.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

CT24_PREFIX = "CT24_checkworthy_english_"
CT24_SPLITS = {
    "train": "train",
    "dev": "dev",
    "dev-test": "dev-test",
    "test": "test_gold",
}
# A label glued to the next record's id, e.g. "No29286" (the merged line in CT24 train).
_GLUED_LABEL = re.compile(r"^(Yes|No)(\d+)$")


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One sentence with its gold label; `speaker`/`position` are set for CLEF-2019 only."""

    sentence_id: str
    text: str
    label: bool
    speaker: str | None = None
    position: int = 0


def ct24_path(dataset_dir: Path, split: str) -> Path:
    """Path of one CheckThat! 2024 split file ("train", "dev", "dev-test" or "test")."""
    if split not in CT24_SPLITS:
        raise ValueError(f"unknown CheckThat! split {split!r}; one of {sorted(CT24_SPLITS)}")
    return Path(dataset_dir) / f"{CT24_PREFIX}{CT24_SPLITS[split]}.tsv"


def is_checkthat_dir(dataset_dir: Path) -> bool:
    """True when the folder holds CheckThat! 2024 task 1 English files."""
    return any(Path(dataset_dir).glob(f"{CT24_PREFIX}*.tsv"))


def is_clef2019_dir(dataset_dir: Path) -> bool:
    """True when the folder holds CLEF-2019 task 1 `train/` or `test/` transcripts."""
    root = Path(dataset_dir)
    return any(root.glob("test/*.tsv")) or any(root.glob("train/*.tsv"))


def _split_merged_row(row: list[str]) -> list[list[str]]:
    """Split a physical row holding several records joined without a newline."""
    records: list[list[str]] = []
    current: list[str] = []
    for field in row:
        glued = _GLUED_LABEL.match(field.strip())
        if glued and len(current) == 2:
            records.append([*current, glued.group(1)])
            current = [glued.group(2)]
        else:
            current.append(field)
    records.append(current)
    return records


def read_checkthat(path: Path) -> list[LabelledSentence]:
    """Read one CheckThat! 2024 TSV file (header row, CSV quoting, LF or CRLF)."""
    out: list[LabelledSentence] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return out
        for row in reader:
            if not row:
                continue
            for record in _split_merged_row(row) if len(row) > 3 else [row]:
                if len(record) != 3:
                    raise ValueError(f"{path}: malformed row {record!r}")
                sid, text, label = (field.strip() for field in record)
                out.append(LabelledSentence(sid, text, label.lower() == "yes"))
    return out


def read_clef2019_file(path: Path) -> list[LabelledSentence]:
    """Read one CLEF-2019 transcript: `line <TAB> speaker <TAB> text <TAB> label`, no header."""
    out: list[LabelledSentence] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 4:
                raise ValueError(f"{path}: malformed line {line!r}")
            position, speaker, label = parts[0], parts[1], parts[-1]
            text = "\t".join(parts[2:-1])
            out.append(
                LabelledSentence(
                    f"{path.stem}:{position}",
                    text.strip(),
                    label.strip() == "1",
                    speaker=speaker.strip(),
                    position=int(position),
                )
            )
    return out


def read_clef2019(dataset_dir: Path, split: str = "test") -> dict[str, list[LabelledSentence]]:
    """Read every transcript of a CLEF-2019 split ("train" or "test"), keyed by file stem."""
    folder = Path(dataset_dir) / split
    return {path.stem: read_clef2019_file(path) for path in sorted(folder.glob("*.tsv"))}
