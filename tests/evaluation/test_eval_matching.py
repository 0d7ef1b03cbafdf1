import pytest

from workers.evaluation.matching import (
    average_precision_at,
    format_matching_report,
    ranking_metrics,
    read_qrels,
    read_queries,
    read_vclaims,
    recall_at,
    strip_attribution,
)


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], {"a"}, 1, 1.0),  # relevant first
        (["b", "a", "c"], {"a"}, 1, 0.0),  # relevant second, cut at 1
        (["b", "a", "c"], {"a"}, 5, 0.5),  # precision 1/2 at rank 2
        (["b", "c", "d", "e", "f", "a"], {"a"}, 5, 0.0),  # found only at rank 6
        (["a", "x", "b"], {"a", "b"}, 5, (1 / 1 + 2 / 3) / 2),  # two relevant
        (["a", "x", "y"], {"a", "b"}, 5, 0.5),  # one of two found: divided by all relevant
        (["x", "a"], {"a", "b"}, 1, 0.0),  # nothing in the top 1
        ([], {"a"}, 5, 0.0),  # empty ranking
    ],
)
def test_average_precision_is_truncated_at_k_like_the_clef_scorer(ranked, relevant, k, expected):
    assert average_precision_at(ranked, relevant, k) == pytest.approx(expected)


def test_recall_counts_relevant_items_in_the_top_k():
    assert recall_at(["x", "a", "y", "z", "w", "b"], {"a", "b"}, 5) == 0.5
    assert recall_at(["a"], set(), 5) == 0.0


def test_ranking_metrics_average_over_queries_with_gold_only():
    rankings = {"q1": ["a", "b"], "q2": ["c", "d"], "q3": ["e"]}
    gold = {"q1": {"a"}, "q2": {"d"}}  # q3 has no relevant claim: left out
    metrics = ranking_metrics(rankings, gold)
    assert metrics["map@1"] == pytest.approx(0.5)
    assert metrics["map@5"] == pytest.approx((1.0 + 0.5) / 2)
    assert metrics["recall@5"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("tweet", "expected"),
    [
        # the embed attribution goes, the URL stays (the query builder drops it)
        ("In Alabama you won't get food stamps. https://t.co/x — Amy Jo (@_AJ) March 18, 2016",
         "In Alabama you won't get food stamps. https://t.co/x"),
        # a dash inside the text is kept
        ("Prices rose — again. — UberFacts (@UberFacts) December 26, 2015", "Prices rose — again."),
        # no attribution: unchanged
        ("Just a tweet", "Just a tweet"),
    ],
)
def test_strip_attribution_removes_the_embed_signature(tweet, expected):
    assert strip_attribution(tweet) == expected


def test_readers_parse_the_dataset_layout(tmp_path):
    (tmp_path / "verified_claims.docs.tsv").write_text(
        '\tvclaim\ttitle\n0\t"A ""quoted"" claim."\tTitle A\n1\tOther claim.\tTitle B\n',
        encoding="utf-8",
    )
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "tweets.queries.tsv").write_text(
        "\ttweet_content\n5\tHello — X (@x) May 1, 2016\n", encoding="utf-8"
    )
    (tmp_path / "test" / "tweet-vclaim-pairs.qrels").write_text("5\t0\t1\t1\n", encoding="utf-8")
    assert read_vclaims(tmp_path) == {"0": ('A "quoted" claim.', "Title A"),
                                      "1": ("Other claim.", "Title B")}
    assert read_queries(tmp_path, "test") == [("5", "Hello — X (@x) May 1, 2016")]
    assert read_qrels(tmp_path, "test") == {"5": {"1"}}


def test_report_shows_baseline_reranked_and_published_best():
    metrics = {"map@1": 0.5, "map@5": 0.6, "recall@5": 0.7}
    report = format_matching_report({
        "split": "test", "n_queries": 199, "n_sources": 10375, "candidates": 50,
        "semantic": False, "baseline": metrics, "reranked": metrics,
        "published_best": {"map@5": 0.91, "team": "UNIPI-NLE"},
    })
    assert "MAP@5 0.6000" in report and "0.91" in report and "BM25" in report
