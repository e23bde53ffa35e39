"""Apps in PHP and Ruby against ``twimlsim serve``, each with its own official helper library
through the README's lines: the library places a call, the app's own web server answers
the webhooks and checks every ``X-Twilio-Signature`` with that library's validator, and
the call is read back through the REST API (dates, paging, an error) and the control API.

The helper libraries come from their own registries (composer, RubyGems), which CI does
not reach: each test runs where the language and its library are found and is skipped
otherwise, naming what to install. ``TWILIO_PHP_SDK`` is twilio-php's directory
(``vendor/twilio/sdk`` after ``composer require twilio/sdk``, or a checkout);
twilio-ruby is found by ``require`` (``gem install twilio-ruby``, or ``RUBYLIB`` naming a
checkout's ``lib``). ``polyglot/main.go`` and ``polyglot/VoiceApp.java`` do the same with
twilio-go and twilio-java, and ``polyglot/go_preload`` is an app whose own
``twilio.NewRestClient()`` reaches the server through the README's ``twimlsim.go``: those
are run by hand (their commands are in their first lines). The README's blocks for every
library are checked to be the ones these apps run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.serve.client import ROOT, TIMEOUT, ServeProcess

HERE = Path(__file__).resolve().parent / "polyglot"
CALLEE = "+15558675310"


def readme_blocks(language: str) -> list[str]:
    """The README's blocks of ``language`` under "Twilio's helper libraries"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Twilio's helper libraries", 1)[1].split("\n## ", 1)[0]
    return [str(block) for block in re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)]


@pytest.mark.parametrize(
    ("language", "app"),
    [
        ("php", "place_call.php"),
        ("ruby", "place_call.rb"),
        ("go", "main.go"),
        ("java", "VoiceApp.java"),
    ],
)
def test_the_apps_use_the_readme_lines(language: str, app: str) -> None:
    """Each README block is in the app that runs it, as it stands (Go's and Java's apart
    from their indentation inside ``main``)."""
    source = (HERE / app).read_text(encoding="utf-8")
    block = readme_blocks(language)[0]
    for line in block.splitlines():
        assert line.strip() in source, f"{app} lacks the README's line {line!r}"


@pytest.mark.parametrize(
    ("language", "preload"), [("ruby", "twimlsim_preload.rb"), ("go", "go_preload/twimlsim.go")]
)
def test_the_readmes_preloads_are_the_checked_ones(language: str, preload: str) -> None:
    """The README's second block of Ruby and of Go (for clients the app makes itself) is
    the file that ``unchanged_app.rb`` and ``go_preload/app.go`` run with."""
    assert readme_blocks(language)[1] == (HERE / preload).read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port} within {TIMEOUT} s")


def php_sdk() -> Path:
    """twilio-php's directory, or a skip naming what to install."""
    if shutil.which("php") is None:
        pytest.skip("php is not installed (Debian: apt-get install php-cli php-curl)")
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, timeout=30).stdout
    if "curl" not in modules.split():
        pytest.skip("php has no curl extension, which twilio-php's CurlClient needs (php-curl)")
    sdk = os.environ.get("TWILIO_PHP_SDK", "")
    if not sdk or not (Path(sdk) / "src" / "Twilio" / "Rest" / "Client.php").is_file():
        pytest.skip(
            "twilio-php not found: set TWILIO_PHP_SDK to its directory (vendor/twilio/sdk "
            "after composer require twilio/sdk, or a checkout of twilio/twilio-php)"
        )
    return Path(sdk)


def expected_signatures(paths: list[tuple[str, str]]) -> list[list[Any]]:
    return [[method, path, True] for method, path in paths]


#: The webhooks of the IVR call, in order (the status callback is Twilio's default one, for
#: the completed call): a query string on each URL, the redirect's parameters in its query.
WEBHOOKS = [("POST", "/voice"), ("POST", "/menu"), ("GET", "/bye"), ("POST", "/status")]


def check_call(serve: ServeProcess, result: dict[str, Any], signatures: list[Any]) -> None:
    sid = result["sid"]
    assert signatures == expected_signatures(WEBHOOKS)
    log = serve.get(f"calls/{sid}/requests")["requests"]
    assert [(each["method"], each["kind"], each["response"]["status"]) for each in log] == [
        ("POST", "voice", 200),
        ("POST", "gather", 200),
        ("GET", "redirect", 200),
        ("POST", "status", 200),
    ]
    assert serve.get("failures") == {"failures": [], "unused_steps": []}


def test_twilio_php_places_a_call_answered_by_a_php_app(
    serve: ServeProcess, tmp_path: Path
) -> None:
    sdk = php_sdk()
    port = free_port()
    signatures = tmp_path / "signatures.jsonl"
    env = {
        **os.environ,
        "TWILIO_PHP_SDK": str(sdk),
        "TWIMLSIM": json.dumps(serve.banner),
        "AUTH_TOKEN": serve.banner["auth_token"],
        "APP_URL": f"http://127.0.0.1:{port}",
        "SIGNATURES": str(signatures),
    }
    server = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "webhooks.php"],
        cwd=HERE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_for_port(port, server)
        php = subprocess.run(
            ["php", "place_call.php"],
            cwd=HERE,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT)
    assert php.returncode == 0, php.stdout + php.stderr
    result = json.loads(php.stdout)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": ["queued", None, "0"],
        "fetched": [
            "completed",
            "5",
            "2026-01-01T09:00:00+00:00",
            "2026-01-01T09:00:05+00:00",
            "outbound-api",
        ],
        "listed": 3,
        "pages": [2, 1],
        "refused": [
            400,
            21211,
            "[HTTP 400] Unable to create record: The 'To' number +1555 is not a valid phone "
            "number.",
        ],
        "said": ["Press 1 for sales.", "You pressed 1.", "Goodbye."],
    }
    lines = signatures.read_text().splitlines()
    check_call(serve, result, [json.loads(line) for line in lines])


def ruby_with_twilio() -> None:
    """Skip unless ruby can load twilio-ruby and webrick."""
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (Debian: apt-get install ruby ruby-webrick)")
    loads = subprocess.run(
        ["ruby", "-e", "require 'twilio-ruby'; require 'webrick'"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if loads.returncode != 0:
        pytest.skip(
            "ruby cannot load twilio-ruby and webrick: gem install twilio-ruby webrick, or set "
            f"RUBYLIB to a twilio-ruby checkout's lib ({loads.stderr.strip().splitlines()[0]})"
        )


def test_twilio_ruby_places_a_call_answered_by_a_ruby_app(serve: ServeProcess) -> None:
    ruby_with_twilio()
    env = {**os.environ, "TWIMLSIM": json.dumps(serve.banner)}
    ruby = subprocess.run(
        ["ruby", "place_call.rb"], cwd=HERE, env=env, capture_output=True, text=True, timeout=60
    )
    assert ruby.returncode == 0, ruby.stdout + ruby.stderr
    result = json.loads(ruby.stdout)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": ["queued", None, "0"],
        "fetched": [
            "completed",
            "5",
            "2026-01-01T09:00:00+00:00",
            "2026-01-01T09:00:05+00:00",
            "outbound-api",
        ],
        "listed": 3,
        "pages": [2, 1],
        "refused": [400, 21211, "The 'To' number +1555 is not a valid phone number."],
        "said": ["Press 1 for sales.", "You pressed 1.", "Goodbye."],
        "signatures": expected_signatures(WEBHOOKS),
    }
    check_call(serve, result, result["signatures"])


def test_the_ruby_preload_sends_a_client_made_without_a_seam_to_serve(
    serve: ServeProcess,
) -> None:
    """The README's preload: an app that makes its own ``Twilio::REST::Client`` (from the
    environment's credentials, as Twilio's Ruby samples do) reaches ``serve`` unchanged."""
    ruby_with_twilio()
    env = {
        **os.environ,
        "RUBYOPT": f"-r{HERE / 'twimlsim_preload.rb'}",
        "TWIMLSIM_URL": serve.banner["url"],
        "TWILIO_ACCOUNT_SID": serve.banner["account_sid"],
        "TWILIO_AUTH_TOKEN": serve.banner["auth_token"],
        "CALLER_ID": serve.banner["numbers"][0],
    }
    ruby = subprocess.run(
        ["ruby", "unchanged_app.rb"], cwd=HERE, env=env, capture_output=True, text=True, timeout=60
    )
    assert ruby.returncode == 0, ruby.stdout + ruby.stderr
    result = json.loads(ruby.stdout)
    sid = result["sid"]
    assert result == {"sid": sid, "created": "queued", "listed": [sid]}
    serve.post("run")
    assert serve.get(f"calls/{sid}")["said"] == ["Your table is ready."]
