"""``twimlsim serve`` refuses options it cannot honour with one line, before serving:
a port out of range (the socket layer would wrap 99999 round to 34463), a number that is
not one, a rate of 0."""

from __future__ import annotations

import argparse
import math

import pytest

from twimlsim import serve
from twimlsim.serve_options import keep_seconds


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="twimlsim serve")
    serve.add_arguments(parser)
    return parser.parse_args(["--clock", "manual", *argv])


@pytest.mark.parametrize("port", ["-1", "99999", "８０"])
def test_a_port_out_of_range_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse("--port", port)
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim serve: error: argument --port: {port!r} is not a TCP port: give 0 to 65535 "
        "(0 picks a free one)"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--number", "abc"),
            "twimlsim serve: --number: sim.number('abc'): 'abc' is not a phone number (E.164, "
            "or ten digits of a US number) that the account can own; give one such as "
            "'+15558675310'",
        ),
        (
            ("--verified-caller-id", "12"),
            "twimlsim serve: --verified-caller-id: sim.verified_caller_id('12'): '12' is not a "
            "phone number (E.164, or ten digits of a US number) that the account can own; give "
            "one such as '+15558675310'",
        ),
        (
            ("--cps", "0"),
            "twimlsim serve: --cps: Simulator(cps=...): cps must be a positive number of calls "
            "per second such as 1 or 0.5; got 0.0",
        ),
    ],
)
def test_a_value_the_simulator_refuses_stops_serve_with_one_line(
    argv: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        serve.start(parse(*argv))
    assert exited.value.code == message


ADDRESS_ADVICE = "give an address of this machine: 127.0.0.1 (only it) or 0.0.0.0 (every interface)"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--host", ""), f"twimlsim serve: --host '' is empty; {ADDRESS_ADVICE}"),
        (
            ("--seed", "\udcff"),  # a byte that is not UTF-8 on the command line
            "twimlsim serve: --seed: Simulator(seed=...): seed '\\udcff' holds a lone surrogate "
            "('\\udcff' at position 0), which is not a character and cannot be sent as UTF-8; "
            "give text of whole characters",
        ),
    ],
)
def test_a_host_or_seed_that_cannot_be_used_stops_serve_with_one_line(
    argv: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        serve.start(parse(*argv))
    assert exited.value.code == message


def test_a_host_that_names_no_address_is_refused_before_binding() -> None:
    with pytest.raises(SystemExit) as exited:
        serve.start(parse("--host", "256.1.1.1"))
    message = str(exited.value.code)
    # the reason between is the system resolver's own words
    assert message.startswith("twimlsim serve: --host '256.1.1.1': ")
    assert message.endswith(f"; {ADDRESS_ADVICE}")


def test_keep_seconds_inf_keeps_calls_of_any_age() -> None:
    served = serve.start(parse("--keep-seconds", "inf"))
    try:
        assert served._retention.keep_us == 2**63  # it raised OverflowError
    finally:
        served.stop()


def test_a_port_in_use_stops_serve_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import errno
    import os
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exited:
            serve.start(parse("--port", str(port)))
    assert exited.value.code == (
        f"twimlsim serve: cannot listen on 127.0.0.1 port {port}: "
        f"{os.strerror(errno.EADDRINUSE)}; give another --port, or --port 0 for a free one"
    )
    assert capsys.readouterr().err == ""  # werkzeug's own advice is not printed


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        ((), math.inf),  # a manual clock: no age limit, only --keep-calls
        (("--clock", "realtime"), 3600.0),
        (("--keep-seconds", "60"), 60.0),
        (("--clock", "realtime", "--keep-seconds", "0"), 0.0),
    ],
)
def test_keep_seconds_defaults_to_no_age_limit_under_a_manual_clock(
    argv: tuple[str, ...], kept: float
) -> None:
    assert keep_seconds(parse(*argv)) == kept


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--cps", "abc"),
            "argument --cps: 'abc' is not a number: give calls per second, such as 1 or 0.5",
        ),
        (
            ("--cps", ""),
            "argument --cps: '' is not a number: give calls per second, such as 1 or 0.5",
        ),
        (
            ("--speed", "fast"),
            "argument --speed: 'fast' is not a number: give the virtual seconds per real "
            "second, such as 1 or 60",
        ),
        (
            ("--keep-calls", "1e3"),
            "argument --keep-calls: '1e3' is not a whole number: give how many ended calls to "
            "keep, such as 1000",
        ),
        (
            ("--keep-seconds", "1h"),
            "argument --keep-seconds: '1h' is not a number: give how many virtual seconds an "
            "ended call is kept, such as 3600",
        ),
        (
            # an unset variable in a container's command line, --seed "$SEED", would give
            # other credentials than the default's without a word
            ("--seed", ""),
            "argument --seed: '' is empty: give a number or text (default 0); the same seed "
            "gives the same credentials on every start",
        ),
    ],
)
def test_a_value_that_is_no_number_says_what_to_give(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(*argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"twimlsim serve: error: {message}"


def test_numbers_are_read_as_before() -> None:
    args = parse("--cps", "0.5", "--keep-calls", "10", "--keep-seconds", "60", "--seed", "x")
    assert (args.cps, args.keep_calls, args.keep_seconds, args.seed) == (0.5, 10, 60.0, "x")
    assert type(args.keep_calls) is int
