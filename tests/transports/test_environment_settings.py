"""requests' environment settings for a Twilio URL while a simulator runs: requests' own
result, without the proxy search when it would find nothing, and requests' own way
whenever the environment names a proxy or the URL is not Twilio's."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import requests.sessions

from twimlsim import Simulator

OWN_MERGE = requests.Session.merge_environment_settings
API = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls.json"
CALLER = "+15005550006"


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs requests searched the environment's proxies for."""
    searched: list[str] = []
    search = requests.sessions.get_environ_proxies

    def counted(url: str, no_proxy: Any = None) -> dict[str, str]:
        searched.append(url)
        return search(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counted)
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return searched


def settings_of(session: requests.Session, url: str, **given: Any) -> tuple[dict[str, Any], Any]:
    """What the session's method and requests' own give for ``url``, side by side."""
    args: dict[str, Any] = {"proxies": {}, "stream": None, "verify": None, "cert": None}
    args.update(given)
    ours = session.merge_environment_settings(url, dict(args["proxies"]), **_rest(args))
    own = OWN_MERGE(session, url, dict(args["proxies"]), **_rest(args))
    return ours, own


def _rest(args: dict[str, Any]) -> dict[str, Any]:
    return {"stream": args["stream"], "verify": args["verify"], "cert": args["cert"]}


def test_a_twilio_url_gets_requests_own_settings_without_the_search(
    searches: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/bundle.pem")
    session = requests.Session()
    session.proxies = {"https": "http://session-proxy.test:3128"}
    session.cert = "/etc/ssl/client.pem"
    with Simulator():
        ours, own = settings_of(session, API)
        assert searches == [API]  # requests' own, called beside it for the comparison
        del searches[:]
        assert (
            ours
            == own
            == {
                "proxies": {"https": "http://session-proxy.test:3128"},
                "stream": False,
                "verify": "/etc/ssl/bundle.pem",
                "cert": "/etc/ssl/client.pem",
            }
        )
        ours, own = settings_of(session, API, verify=False, stream=True)
        assert (
            ours
            == own
            == {
                "proxies": {"https": "http://session-proxy.test:3128"},
                "stream": True,
                "verify": False,
                "cert": "/etc/ssl/client.pem",
            }
        )
        searches.clear()
        session.merge_environment_settings(API, {}, None, None, None)
        assert searches == []


def test_an_environment_that_names_a_proxy_takes_requests_own_way(
    searches: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://corporate-proxy.test:8080")
    with Simulator() as sim:
        sim.number(CALLER)
        client = sim.client()
        client.calls.create(to="+15558675310", from_=CALLER, twiml="<Response/>")
        # requests adds the environment's proxy to the twilio client's own proxy settings
        assert client.http_client.proxy == {"https": "http://corporate-proxy.test:8080"}  # type: ignore[attr-defined]
        assert searches == [API.replace("AC" + "0" * 32, sim.account_sid)]


def test_a_variable_merely_named_like_a_proxy_setting_keeps_the_search(
    searches: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_APP_PROXY_TIMEOUT", "3")
    with Simulator():
        requests.Session().merge_environment_settings(API, {}, None, None, None)
    assert searches == [API]


def test_other_urls_and_sessions_that_trust_no_environment_take_requests_own_way(
    searches: list[str],
) -> None:
    untrusting = requests.Session()
    untrusting.trust_env = False
    with Simulator():
        requests.Session().merge_environment_settings(
            "https://api.example.test/x", {}, None, None, None
        )
        assert untrusting.merge_environment_settings(API, {}, None, None, None) == {
            "proxies": {},
            "stream": False,
            "verify": True,
            "cert": None,
        }
    assert searches == ["https://api.example.test/x"]


def test_the_calls_of_a_run_search_nothing_and_requests_own_method_is_back_after(
    searches: list[str],
) -> None:
    with Simulator() as sim:
        assert requests.Session.merge_environment_settings is not OWN_MERGE
        sim.number(CALLER)
        client = sim.client()
        call = client.calls.create(to="+15558675310", from_=CALLER, twiml="<Response/>")
        sim.run()
        assert client.calls(call.sid).fetch().status == "completed"
        assert client.http_client.proxy == {}  # type: ignore[attr-defined]
    assert searches == []
    assert requests.Session.merge_environment_settings is OWN_MERGE


def test_a_mock_of_the_method_is_left_in_place(
    searches: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def mocked(self: requests.Session, url: str, *args: Any) -> dict[str, Any]:
        seen.append(url)
        return OWN_MERGE(self, url, *args)

    monkeypatch.setattr(requests.Session, "merge_environment_settings", mocked)
    with Simulator():
        assert requests.Session.merge_environment_settings is mocked
        requests.Session().merge_environment_settings(API, {}, None, None, None)
    assert (seen, searches) == ([API], [API])
