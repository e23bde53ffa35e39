"""The route table, built on first use: every route answers its endpoint, for the
simulated account's SIDs and (with any credentials accepted) for placeholder accounts."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import NotFound

from twimlsim.rest import routes

ACCOUNT = "AC" + "a" * 32
SIDS = {"CA": "CA" + "b" * 32, "RE": "RE" + "c" * 32, "QU": "QU" + "d" * 32}


def _concrete(template: str, account: str) -> tuple[str, dict[str, str]]:
    """A path of ``template`` and the arguments the router should read from it."""
    expected: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        prefix, choices, name = match.group(1), match.group(2), match.group(3)
        if prefix == "AC":
            value = account
        elif prefix is not None:
            value = SIDS.get(prefix, prefix + "e" * 32)
        elif choices is not None:
            value = choices.split(",")[-1]
        else:
            value = f"{name}-value"
        expected[name] = value
        return value

    path = re.sub(r"<(?:sid\('(\w\w)'\):|any\(([\w,]+)\):)?(\w+)>", fill, template)
    return path, expected


@pytest.mark.parametrize("any_account", [False, True])
def test_every_route_answers_its_endpoint(any_account: bool) -> None:
    urls = routes.bound_routes(any_account)
    account = "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" if any_account else ACCOUNT
    assert len(routes._TABLE) == 98
    for template, endpoint, method in routes._TABLE:
        path, arguments = _concrete(template, account)
        assert urls.match(path, method) == (endpoint, arguments), (template, method)


def test_a_placeholder_account_is_an_unknown_path_unless_any_account_is_accepted() -> None:
    path = "/2010-04-01/Accounts/ACxxxx/Calls.json"
    assert routes.bound_routes(True).match(path, "GET") == ("calls.list", {"account_sid": "ACxxxx"})
    with pytest.raises(NotFound):
        routes.bound_routes(False).match(path, "GET")


def test_the_maps_are_built_once() -> None:
    assert routes.bound_routes(False) is routes.bound_routes(False)
    assert routes.url_map(True) is routes.url_map(True) is not routes.url_map(False)
