"""``claimdesk extract``: standard input with ``-``, and a note when dates anchor on today."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.factories import KRISHNA


def extract(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "service.cli", "extract", *args], input=stdin,
                          capture_output=True, timeout=180, check=False, env=dict(os.environ))


def test_a_dash_reads_the_article_from_standard_input(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(KRISHNA, encoding="utf-8")
    from_file = extract(str(article), "--published-at", "2023-05-02")
    from_stdin = extract("-", "--published-at", "2023-05-02", stdin=KRISHNA.encode())
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)
    assert json.loads(from_stdin.stdout)["claims"]


def test_without_published_at_standard_error_says_dates_anchor_on_today() -> None:
    result = extract("-", stdin=KRISHNA.encode())
    assert result.returncode == 0, result.stderr
    note = result.stderr.decode()
    assert f"anchored on today, {date.today().isoformat()}" in note
    assert "--published-at" in note
    assert json.loads(result.stdout)["claims"]  # stdout stays pure JSON


def test_with_published_at_there_is_no_note() -> None:
    result = extract("-", "--published-at", "2023-05-02", stdin=KRISHNA.encode())
    assert result.returncode == 0 and b"anchored" not in result.stderr


def test_standard_input_that_is_not_utf8_exits_2() -> None:
    result = extract("-", "--published-at", "2023-05-02", stdin=b"\xff\xfe caf\xe9")
    assert result.returncode == 2 and b"claimdesk extract" in result.stderr
