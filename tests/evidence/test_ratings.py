import pytest

from workers.evidence.ratings import rating_stance, stance_from_text, stance_from_value


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ("True", "supports"),  # plain true
        ("Correct", "supports"),  # synonym
        ("Mostly True", "supports"),  # mostly true still supports
        ("Accurate", "supports"),  # synonym
        ("False", "contradicts"),  # plain false
        ("Pants on Fire!", "contradicts"),  # PolitiFact's worst
        ("Mostly false", "contradicts"),  # mostly false
        ("Incorrect", "contradicts"),  # synonym
        ("Fake", "contradicts"),  # synonym
        ("Wrong", "contradicts"),  # synonym
        ("Misleading", "contradicts"),  # not right as stated
        ("This is not true", "contradicts"),  # "not true" is not "true"
        ("Half True", "related"),  # mixed
        ("Mixture", "related"),  # Snopes' mixed
        ("Unproven", "related"),  # no verdict
        ("Needs context", "related"),  # no verdict
        ("Four Pinocchios", "contradicts"),  # Washington Post scale
        ("", None),  # empty
        ("Blue", None),  # unknown words
    ],
)
def test_rating_text_maps_to_stance(rating, expected):
    assert stance_from_text(rating) == expected


@pytest.mark.parametrize(
    ("value", "best", "worst", "expected"),
    [
        (5, 5, 1, "supports"),  # best of 1..5
        (1, 5, 1, "contradicts"),  # worst of 1..5
        (3, 5, 1, "related"),  # middle
        (2, 5, 1, "contradicts"),  # low
        (0.9, 1, 0, "supports"),  # 0..1 scale
        (7, 5, 1, None),  # off the scale
        (None, 5, 1, None),  # no value
    ],
)
def test_rating_value_maps_to_stance_on_its_scale(value, best, worst, expected):
    assert stance_from_value(value, best=best, worst=worst) == expected


def test_rating_text_wins_over_value_and_value_is_fallback():
    assert rating_stance("False", 5, best=5, worst=1) == "contradicts"
    assert rating_stance(None, 5, best=5, worst=1) == "supports"
    assert rating_stance("Blue", 1) == "contradicts"
