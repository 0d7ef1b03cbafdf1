from pathlib import Path

import pytest

from workers.evaluation.checkworthiness import (
    average_precision,
    evaluate_checkthat,
    evaluate_clef2019,
    format_report,
    precision_recall_f1,
)
from workers.evaluation.datasets import (
    ct24_path,
    is_checkthat_dir,
    is_clef2019_dir,
    read_checkthat,
    read_clef2019,
)

# Tiny CheckThat! test split: CRLF, a quoted text, and two records merged on one line.
CT24_TEST = (
    "Sentence_id\tText\tclass_label\r\n"
    "1\tAlpha rose.\tYes\r\n"
    '2\t"Beta, said ""no"" twice."\tNo\r\n'
    "3\tGamma fell.\tYes\r\n"
    "4\tDelta doubled.\tYes5\tEpsilon waved.\tNo\r\n"
)
# Scores handed out by the fake scorer, keyed by sentence text.
CT24_SCORES = {
    "Alpha rose.": 0.9,  # Yes, predicted Yes: true positive
    'Beta, said "no" twice.': 0.8,  # No, predicted Yes: false positive
    "Gamma fell.": 0.2,  # Yes, predicted No: false negative
    "Delta doubled.": 0.5,  # Yes, exactly at the threshold: true positive
    "Epsilon waved.": 0.1,  # No, predicted No: true negative
}
# Two CLEF-2019 transcripts (no header, CRLF, the second without a final newline).
CLEF_DEBATE_1 = "1\tA\tOne.\t0\r\n2\tB\tTwo.\t1\r\n3\tA\tThree.\t0\r\n4\tB\tFour.\t1\r\n"
CLEF_DEBATE_2 = "1\tC\tFive.\t1\r\n2\tSYSTEM\tSix.\t0\r\n3\tC\tSeven.\t0"
CLEF_SCORES = {
    "One.": 0.9,
    "Two.": 0.8,
    "Three.": 0.1,
    "Four.": 0.5,
    "Five.": 0.3,
    "Six.": 0.6,
    "Seven.": 0.2,
}


class LookupScorer:
    """Returns a fixed score per sentence text."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def score(self, span) -> float:
        return self.scores[span.text]


@pytest.fixture
def ct24_dir(tmp_path: Path) -> Path:
    (tmp_path / "CT24_checkworthy_english_test_gold.tsv").write_bytes(CT24_TEST.encode())
    return tmp_path


@pytest.fixture
def clef_dir(tmp_path: Path) -> Path:
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "d1.tsv").write_bytes(CLEF_DEBATE_1.encode())
    (tmp_path / "test" / "d2.tsv").write_bytes(CLEF_DEBATE_2.encode())
    return tmp_path


def test_checkthat_loader_splits_the_merged_line_and_unquotes(ct24_dir):
    rows = read_checkthat(ct24_path(ct24_dir, "test"))
    assert [(r.sentence_id, r.label) for r in rows] == [
        ("1", True),
        ("2", False),
        ("3", True),
        ("4", True),
        ("5", False),
    ]
    assert rows[1].text == 'Beta, said "no" twice.'
    assert rows[4].text == "Epsilon waved."


def test_clef_loader_strips_crlf_and_keeps_speakers(clef_dir):
    debates = read_clef2019(clef_dir, "test")
    assert list(debates) == ["d1", "d2"]
    assert [s.label for s in debates["d1"]] == [False, True, False, True]
    assert [s.speaker for s in debates["d2"]] == ["C", "SYSTEM", "C"]
    assert debates["d2"][-1].text == "Seven."


def test_dataset_kind_is_detected_from_files(ct24_dir, clef_dir, tmp_path):
    assert is_checkthat_dir(ct24_dir) and not is_clef2019_dir(tmp_path / "test")
    assert is_clef2019_dir(clef_dir)


def test_evaluate_checkthat_matches_hand_computed_figures(ct24_dir, nlp):
    result = evaluate_checkthat(ct24_dir, nlp=nlp, scorer=LookupScorer(CT24_SCORES), progress=False)
    # 2 true positives, 1 false positive, 1 false negative.
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 / 3)
    assert result["n"] == 5
    low, high = result["f1_interval"]  # bootstrap over the five sentences
    assert low <= result["f1"] <= high
    assert "published best" in format_report(result)
    assert "F1 bootstrap 95% interval" in format_report(result)


def test_evaluate_clef2019_matches_hand_computed_map(clef_dir, nlp):
    result = evaluate_clef2019(clef_dir, nlp=nlp, scorer=LookupScorer(CLEF_SCORES), progress=False)
    # d1 ranks 0,1,1,0: AP = (1/2 + 2/3) / 2; d2 ranks 0,1,0: AP = 1/2.
    assert result["per_debate"]["d1"] == pytest.approx(7 / 12)
    assert result["per_debate"]["d2"] == pytest.approx(1 / 2)
    assert result["map"] == pytest.approx(13 / 24)
    assert result["published_best"] == pytest.approx(0.166)
    # resampling the two transcripts: MAP is 1/2, 13/24 or 7/12
    assert result["map_interval"] == pytest.approx((1 / 2, 7 / 12))
    assert "0.1660" in format_report(result)


@pytest.mark.parametrize(
    ("scores", "gold", "expected"),
    [
        # perfect ranking
        ([0.9, 0.1], [True, False], 1.0),
        # the only positive ranked last of three
        ([0.9, 0.8, 0.1], [False, False, True], 1 / 3),
        # no positives at all
        ([0.5, 0.4], [False, False], 0.0),
        # empty input
        ([], [], 0.0),
    ],
)
def test_average_precision_table(scores, gold, expected):
    assert average_precision(scores, gold) == pytest.approx(expected)


def test_precision_recall_f1_of_empty_input_is_zero():
    assert precision_recall_f1([], []) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
