"""claimdesk eval matching end to end on a tiny CLEF-2020-shaped folder, with the real store."""

from __future__ import annotations

from pathlib import Path

from service.eval.matching import evaluate_matching
from workers.evidence import Linker, LinkerConfig

VCLAIMS = [
    ("0", "A photo shows a shark swimming on a flooded Houston highway.", "Shark on highway"),
    ("1", "Drinking bleach cures the coronavirus.", "Bleach cure"),
    ("2", "The Eiffel Tower was sold for scrap in 1925.", "Eiffel Tower sale"),
]
TWEETS = [
    ("10", "Unbelievable, a shark swimming down the flooded highway in Houston! — Ann (@ann) "
           "August 28, 2017"),
    ("11", "My uncle says bleach cures coronavirus, is that true? — Bob (@bob) March 3, 2020"),
]


def write_dataset(root: Path) -> Path:
    (root / "test").mkdir(parents=True)
    rows = "".join(f"{i}\t{claim}\t{title}\n" for i, claim, title in VCLAIMS)
    (root / "verified_claims.docs.tsv").write_text("\tvclaim\ttitle\n" + rows, encoding="utf-8")
    tweets = "".join(f"{i}\t{text}\n" for i, text in TWEETS)
    (root / "test" / "tweets.queries.tsv").write_text("\ttweet_content\n" + tweets,
                                                      encoding="utf-8")
    (root / "test" / "tweet-vclaim-pairs.qrels").write_text("10\t0\t0\t1\n11\t0\t1\t1\n",
                                                            encoding="utf-8")
    return root


def test_matching_eval_finds_each_tweets_fact_check_first(tmp_path: Path, session_factory,
                                                          nlp) -> None:
    dataset = write_dataset(tmp_path / "clef")
    linker = Linker(nlp, LinkerConfig())
    result = evaluate_matching(dataset, session_factory=session_factory, org_id="org_default",
                               linker=linker, progress=False)
    text = repr(result)
    assert "map@5" in text
    reranked = next(v for k, v in result.items() if isinstance(v, dict) and "map@1" in v
                    and "rerank" in k)
    assert reranked["map@1"] == 1.0 and reranked["recall@5"] == 1.0
