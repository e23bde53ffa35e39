"""``twimlsim call --incoming``: the far end calls the account's number, as an app
configured under "A call comes in" is reached."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest

from twimlsim.cli import main


def caller_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Greets the caller it reads in ``From`` and says the key pressed."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] == "/status":
        return [b""]
    if environ["PATH_INFO"] == "/pressed":
        return [f"<Response><Say>You pressed {form['Digits']}</Say></Response>".encode()]
    return [
        f'<Response><Gather numDigits="1" action="/pressed"><Say>Hello {form["From"]}, '
        f"this is {form['To']}, a {form['Direction']} call</Say></Gather></Response>".encode()
    ]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status = main(["call", "https://app.test/voice", "--app", f"{__name__}:caller_app", *args])
    return status, json.loads(capsys.readouterr().out)


def test_incoming_calls_the_accounts_number_from_the_far_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, report = run_json(capsys, "--incoming", "--press", "4", "--json")
    assert status == 0
    (call,) = report["calls"]
    assert (call["direction"], call["from"], call["to"]) == (
        "inbound",
        "+15558675310",
        "+15005550006",
    )
    assert call["said"] == [
        "Hello +15558675310, this is +15005550006, a inbound call",
        "You pressed 4",
    ]
    voice = call["requests"][0]
    assert (voice["kind"], voice["method"], voice["url"]) == (
        "voice",
        "POST",
        "https://app.test/voice",
    )
    names = ("CallStatus", "Direction", "From", "To", "Caller", "Called")
    assert {name: voice["params"][name] for name in names} == {
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": "+15558675310",
        "To": "+15005550006",
        "Caller": "+15558675310",
        "Called": "+15005550006",
    }


def test_incoming_takes_the_numbers_and_the_numbers_status_callback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, report = run_json(
        capsys,
        "--incoming",
        "--from",
        "+14155550100",
        "--to",
        "+18005550199",
        "--status-callback",
        "https://app.test/status",
        "--press",
        "9",
        "--json",
    )
    assert status == 0
    (call,) = report["calls"]
    assert call["said"][0] == "Hello +14155550100, this is +18005550199, a inbound call"
    # the number's status callback: Twilio sends it the completed event only
    assert [(r["kind"], r["params"]["CallStatus"]) for r in call["requests"]] == [
        ("voice", "ringing"),
        ("gather", "in-progress"),
        ("status", "completed"),
    ]


def test_without_incoming_the_account_calls_the_far_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, report = run_json(capsys, "--press", "1", "--json")
    assert status == 0
    (call,) = report["calls"]
    assert (call["direction"], call["from"], call["to"]) == (
        "outbound-api",
        "+15005550006",
        "+15558675310",
    )
    assert call["said"][0] == "Hello +15005550006, this is +15558675310, a outbound-api call"


def test_an_incoming_call_to_a_number_that_is_not_one_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", "https://app.test/voice", "--incoming", "--to", "12"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: sim.number('12'): '12' is not a phone number (E.164, or ten "
        "digits of a US number) that the account can own; give one such as '+15558675310'\n"
    )


def test_incoming_to_a_sip_uri_is_a_call_sent_to_a_sip_domain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A softphone's call through a SIP Domain: the URL answers as the domain's voice URL,
    with Twilio's SIP parameters."""
    softphone, dialled = "sip:alice@office.sip.twilio.com", "sip:+15551234567@office.sip.twilio.com"
    args = ("--incoming", "--from", softphone, "--to", dialled, "--press", "1", "--json")
    status, report = run_json(capsys, *args)
    assert status == 0
    (call,) = report["calls"]
    assert (call["direction"], call["from"], call["to"], call["said"]) == (
        "inbound",
        softphone,
        dialled,
        [f"Hello {softphone}, this is {dialled}, a inbound call", "You pressed 1"],
    )
    voice = call["requests"][0]["params"]
    assert (voice["SipDomain"], voice["SipSourceIp"]) == ("office.sip.twilio.com", "203.0.113.10")


def test_incoming_to_a_sip_uri_at_no_twilio_domain_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["call", "https://app.test/voice", "--incoming", "--to", "sip:bob@pbx.example.com"]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --to sip:bob@pbx.example.com: a call a PBX or softphone sends "
        "reaches the app through a SIP Domain, a SIP URI at NAME.sip.twilio.com (such as "
        "sip:+15551234567@office.sip.twilio.com)\n"
    )


def screening_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Rejects a caller an Add-on scored as spam (the number's AddOns, a JSON text)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(length).decode())
    results = json.loads(form["AddOns"][0])["results"] if "AddOns" in form else {}
    spam = results.get("robocall_score", {}).get("result", {}).get("score") == 1
    start_response("200 OK", [("Content-Type", "text/xml")])
    if spam:
        return [b"<Response><Reject/></Response>"]
    return [b"<Response><Say>Hello.</Say></Response>"]


def test_param_gives_an_incoming_calls_add_ons_to_its_first_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_ons = json.dumps(
        {"status": "successful", "results": {"robocall_score": {"result": {"score": 1}}}}
    )
    stir = "StirVerstat=TN-Validation-Failed"
    assert (
        main([*SCREENED, "--incoming", "--json", "--param", f"AddOns={add_ons}", "--param", stir])
        == 0
    )
    [call] = json.loads(capsys.readouterr().out)["calls"]
    [voice] = call["requests"]
    assert (voice["params"]["AddOns"], voice["params"]["StirVerstat"]) == (
        add_ons,
        "TN-Validation-Failed",
    )
    assert (call["status"], [event["type"] for event in call["transcript"]]) == (
        "no-answer",
        ["Rejected", "HungUp"],
    )
    assert main([*SCREENED, "--incoming", "--json"]) == 0
    [call] = json.loads(capsys.readouterr().out)["calls"]
    assert ("AddOns" in call["requests"][0]["params"], call["said"]) == (False, ["Hello."])


SCREENED = ["call", "https://app.test/voice", "--app", "tests.test_cli_incoming:screening_app"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--param", "AddOns={}"],
            "--param AddOns={} is a parameter Twilio adds to an incoming call's first voice "
            "request (the number's Add-ons, STIR/SHAKEN, caller name): give --incoming too",
        ),
        (
            ["--incoming", "--param", "From=+15551230000"],
            "--param From is a parameter Twilio sets on every request of the call; give only "
            "the extra ones (AddOns, StirVerstat, ...)",
        ),
        (
            [
                "--incoming",
                "--from",
                "sip:alice@office.sip.twilio.com",
                "--to",
                "sip:+15551234567@office.sip.twilio.com",
                "--param",
                "SipDomain=other.sip.twilio.com",
            ],
            "--param SipDomain comes from the SIP Domain the call is sent to (--to "
            "sip:+15551234567@office.sip.twilio.com); give only what the INVITE brings "
            "(SipHeader_X-..., SipUsername)",
        ),
        (
            # an undecodable byte of the command line (a Latin-1 name in a UTF-8 locale)
            ["--incoming", "--param", "CallerName=\udce9"],
            # (named as the byte it is, as for every other argument)
            "--param CallerName '\\udce9' holds the byte 0xe9 at position 0, which is not "
            "UTF-8 (a terminal or script writing another encoding, such as Latin-1); give the "
            "argument in UTF-8",
        ),
    ],
)
def test_a_param_twimlsim_call_cannot_send_is_refused(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([*SCREENED, *args])
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (2, "", f"twimlsim call: error: {message}\n")


def test_a_param_without_its_value_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*SCREENED, "--incoming", "--param", "AddOns"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "twimlsim call: error: argument --param: 'AddOns' is not NAME=VALUE: give a parameter "
        "Twilio adds to an incoming call's first voice request, such as "
        'AddOns=\'{"status": "successful", ...}\' or StirVerstat=TN-Validation-Passed-A'
    )


def test_a_param_given_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # Twilio sends each parameter once: the second value is not silently the one sent
    status = main(
        [
            *SCREENED,
            "--incoming",
            "--param",
            "StirVerstat=TN-Validation-Passed-A",
            "--param",
            "StirVerstat=TN-Validation-Failed-C",
        ]
    )
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (
        2,
        "",
        "twimlsim call: error: --param StirVerstat is given twice "
        "('TN-Validation-Passed-A', then 'TN-Validation-Failed-C'); Twilio sends each "
        "parameter once: give it once\n",
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # the shell took the double quotes of an unquoted JSON text
        ("{status: successful}", "Expecting property name enclosed in double quotes"),
        ('"successful"', "a JSON string, not an object"),
        ("", "Expecting value"),
    ],
)
def test_add_ons_that_are_no_json_object_are_refused(
    value: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*SCREENED, "--incoming", "--param", f"AddOns={value}"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim call: error: argument --param: AddOns {value!r} is not a JSON object "
        f"({reason}), which the Add-ons' results Twilio sends always are: quote the whole "
        'value for the shell, such as --param AddOns=\'{"status": "successful", '
        '"results": {...}}\''
    )


@pytest.mark.parametrize("name", ["Caller Name", "AddOns&x", "1Digit", "Stir/Verstat"])
def test_a_param_name_twilio_never_sends_is_refused(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*SCREENED, "--incoming", "--param", f"{name}=x"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim call: error: argument --param: {name!r} is not the name of a parameter "
        "Twilio sends (a letter, then letters, digits, _, - or .): give one such as StirVerstat, "
        "CallerName or SipHeader_X-Customer"
    )


def test_add_ons_holding_an_integer_of_any_length_are_a_json_object(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # JSON allows any number of digits: Python's limit on reading them (4,300) refused the
    # object as "invalid _param_option value", quoting all of it
    add_ons = '{"status": "successful", "score": ' + "1" * 5000 + "}"
    code, report = run_json(capsys, "--incoming", "--json", "--param", f"AddOns={add_ons}")
    [call] = report["calls"]
    assert (code, call["requests"][0]["params"]["AddOns"]) == (0, add_ons)


def test_add_ons_nested_too_deeply_to_read_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # json.loads ran out of recursion: a RecursionError traceback
    value = "[" * 20_000 + "]" * 20_000
    with pytest.raises(SystemExit) as exited:
        main([*SCREENED, "--incoming", "--param", f"AddOns={value}"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim call: error: argument --param: AddOns '{'[' * 76}... is nested too deeply "
        "to read (more levels of arrays and objects than Python can follow); the Add-ons' "
        "results Twilio sends are a JSON object a few levels deep: give one such as --param "
        'AddOns=\'{"status": "successful", "results": {...}}\''
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--incoming", "--param", f"AddOns={'x' * 5000}"],
            f"argument --param: AddOns '{'x' * 76}... is not a JSON object (Expecting value), "
            "which the Add-ons' results Twilio sends always are: quote the whole value for the "
            'shell, such as --param AddOns=\'{"status": "successful", "results": {...}}\'',
        ),
        (
            ["--incoming", "--param", "x" * 5000],
            f"argument --param: '{'x' * 76}... is not NAME=VALUE: give a parameter Twilio adds "
            "to an incoming call's first voice request, such as AddOns='{\"status\": "
            '"successful", ...}\' or StirVerstat=TN-Validation-Passed-A',
        ),
        (
            ["--incoming", "--param", f"{'x' * 5000}/=1"],
            f"argument --param: '{'x' * 76}... is not the name of a parameter Twilio sends (a "
            "letter, then letters, digits, _, - or .): give one such as StirVerstat, CallerName "
            "or SipHeader_X-Customer",
        ),
        (
            ["--param", f"CallerName={'x' * 5000}"],
            f"--param CallerName={'x' * 66}... is a parameter Twilio adds to an incoming call's "
            "first voice request (the number's Add-ons, STIR/SHAKEN, caller name): give "
            "--incoming too",
        ),
        (
            ["--incoming", "--param", f"X={'a' * 5000}", "--param", f"X={'b' * 5000}"],
            f"--param X is given twice ('{'a' * 76}..., then '{'b' * 76}...); Twilio sends each "
            "parameter once: give it once",
        ),
    ],
    ids=["add-ons", "no-equals", "name", "not-incoming", "twice"],
)
def test_a_refused_long_param_is_quoted_cut_to_80_characters(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # the whole value was quoted: a pasted Add-ons result of many kilobytes filled the screen
    try:
        status = main([*SCREENED, *args])
    except SystemExit as exited:  # argparse's refusal of the argument itself
        status = exited.code
    assert (status, capsys.readouterr().err.splitlines()[-1]) == (
        2,
        f"twimlsim call: error: {message}",
    )
