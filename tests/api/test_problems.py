"""The problem catalogue: every refusal of the store reaches a client as a typed problem."""

from __future__ import annotations

from service.api.problems import CATALOGUE, INTERNAL, problem_type
from service.store import errors


def all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *all_subclasses(sub)}
    return found


def test_every_store_error_has_a_problem_type_of_its_own_or_its_base() -> None:
    for cls in all_subclasses(errors.StoreError):
        kind = problem_type(cls("x"))
        assert kind is not INTERNAL, cls.__name__
        assert 400 <= kind.status < 500, cls.__name__


def test_problem_types_are_distinct_stable_uris() -> None:
    uris = [kind.uri for kind in CATALOGUE.values()]
    assert len(uris) == len(set(uris))
    assert all(uri.startswith("https://claimdesk.dev/problems/") for uri in uris)


def test_an_uncatalogued_subclass_takes_its_bases_type() -> None:
    class MissingSource(errors.NotFound):
        pass

    assert problem_type(MissingSource("gone")) == CATALOGUE[errors.NotFound]
