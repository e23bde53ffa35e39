"""twilio-node against ``twimlsim serve``: a Node script places a call with the official
``twilio`` package, its own ``node:http`` server answers the webhooks (checking their
signatures with twilio-node), and the request log is read back through the control API.

Skipped without node and npm. The package is installed once into ``.venv/node`` (npm's
registry is needed the first time only).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.serve.client import ROOT, ServeProcess

HERE = Path(__file__).resolve().parent / "node"
CACHE = ROOT / ".venv" / "node"
#: twilio-node 3.42.1, as Twilio's click-to-call Node sample locks it: it exports no
#: ``RequestClient`` (later 3.x releases do) and loads its HTTP client at the first request.
HERE_3 = Path(__file__).resolve().parent / "node3"
CACHE_3 = ROOT / ".venv" / "node3"
#: twilio-node 2.11.1, as samples from before 2017 lock twilio-node 2: no RequestClient at
#: all; its Client prefixes every path with https://SID:TOKEN@api.twilio.com.
HERE_2 = Path(__file__).resolve().parent / "node2"
CACHE_2 = ROOT / ".venv" / "node2"
#: twilio-node with tsx, which compiles the modules it loads with its own loader (the
#: Node default ``.js`` loader a preload could wrap is not called).
HERE_TSX = Path(__file__).resolve().parent / "nodetsx"
CACHE_TSX = ROOT / ".venv" / "nodetsx"


def node_modules(package: Path = HERE, cache: Path = CACHE) -> Path:
    """``cache/node_modules`` with ``package``'s twilio installed (the first time only)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed")
    version = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    if int(version.lstrip("v").split(".")[0]) < 18:
        pytest.skip(f"the Node check needs node 18 or later (fetch), found {version.strip()}")
    installed = cache / "node_modules" / "twilio" / "package.json"
    wanted = (package / "package.json").read_text()
    if installed.exists() and (cache / "package.json").read_text() == wanted:
        return cache / "node_modules"
    cache.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache.parent) as scratch:
        (Path(scratch) / "package.json").write_text(wanted)
        npm = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
        done = subprocess.run(npm, cwd=scratch, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"npm install twilio failed:\n{done.stderr}"
        shutil.rmtree(cache, ignore_errors=True)
        os.replace(scratch, cache)
        Path(scratch).mkdir()  # for TemporaryDirectory's clean-up
    return cache / "node_modules"


def test_the_scripts_use_the_readme_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    seams, preload = re.findall(r"```js\n(.*?)```", readme, re.DOTALL)
    assert seams in (HERE / "place_call.js").read_text(encoding="utf-8")
    assert preload == (HERE / "twimlsim-preload.cjs").read_text(encoding="utf-8")


def test_twilio_node_places_a_call_answered_by_a_node_http_server(serve: ServeProcess) -> None:
    env = {**os.environ, "NODE_PATH": str(node_modules()), "TWIMLSIM": json.dumps(serve.banner)}
    node = subprocess.run(
        ["node", str(HERE / "place_call.js")], env=env, capture_output=True, text=True, timeout=60
    )
    assert node.returncode == 0, node.stderr
    result = json.loads(node.stdout)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": "queued",
        "fetched": ["completed", "4"],
        "said": ["Press 1 for sales.", "You pressed 1."],
        "requests": [
            ["voice", "/voice", None],
            ["gather", "/menu", "1"],
            ["status", "/status", None],
        ],
        "signatures": [["/voice", True], ["/menu", True], ["/status", True]],
        "lookups": [["+14155550100", True, "(415) 555-0100"], ["+14155550100", None]],
    }
    assert serve.get(f"calls/{sid}")["duration"] == 4
    assert serve.get("failures") == {"failures": [], "unused_steps": []}


def test_the_preload_sends_a_client_made_without_a_seam_to_serve(serve: ServeProcess) -> None:
    """The README's preload: an app whose client is made for it (a Twilio Function's
    ``context.getTwilioClient()``) reaches ``serve`` unchanged."""
    env = {
        **os.environ,
        "NODE_PATH": str(node_modules()),
        "TWIMLSIM": json.dumps(serve.banner),
        "TWIMLSIM_URL": serve.banner["url"],
    }
    preload = ["--require", str(HERE / "twimlsim-preload.cjs")]
    node = subprocess.run(
        ["node", *preload, str(HERE / "unchanged_app.js")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert node.returncode == 0, node.stderr
    result = json.loads(node.stdout)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": "queued",
        "fetched": "+15558675310",
        "lookup": [
            "+14155550100",
            {"caller_name": None, "caller_type": None, "error_code": None},
        ],
    }
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["direction"], call["to"], call["status"], call["said"]) == (
        "outbound-api",
        "+15558675310",
        "completed",
        ["Your table is ready."],
    )


def run_with_preload(
    serve: ServeProcess,
    script: Path,
    modules: Path,
    tmp_path: Path,
    package: dict[str, str] | None = None,
) -> dict[str, str]:
    """Run ``script`` from a folder whose ``node_modules`` is ``modules`` (an ES module finds
    its packages there, not on ``NODE_PATH``) and whose ``package.json`` is ``package``,
    with the README's preload saved in that folder as the README says; its JSON line."""
    (tmp_path / "node_modules").symlink_to(modules, target_is_directory=True)
    shutil.copy(script, tmp_path / script.name)
    shutil.copy(HERE / "twimlsim-preload.cjs", tmp_path / "twimlsim-preload.cjs")
    if package is not None:
        (tmp_path / "package.json").write_text(json.dumps(package))
    env = {
        **os.environ,
        "TWIMLSIM": json.dumps(serve.banner),
        "TWIMLSIM_URL": serve.banner["url"],
        "NODE_OPTIONS": "--require ./twimlsim-preload.cjs",
    }
    command = ["node", script.name]
    if script.suffix == ".ts":  # as the app's README starts it: npx tsx app.ts
        command = [str(tmp_path / "node_modules" / ".bin" / "tsx"), script.name]
    node = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert node.returncode == 0, node.stderr
    result: dict[str, str] = json.loads(node.stdout)
    return result


def test_the_preload_reaches_an_app_that_imports_twilio_as_an_es_module(
    serve: ServeProcess, tmp_path: Path
) -> None:
    """``import twilio from "twilio"`` loads the package through Node's ES module loader,
    which never passes the name ``twilio`` to ``require``: the preload still sees it, saved
    in an app whose ``package.json`` makes its ``.js`` files ES modules."""
    package = {"name": "es-app", "version": "1.0.0", "type": "module"}
    modules = node_modules()
    result = run_with_preload(serve, HERE / "es_module_app.mjs", modules, tmp_path, package)
    sid = result["sid"]
    assert result == {"sid": sid, "created": "queued", "version": "6.3.1"}
    serve.post("run")
    assert serve.get(f"calls/{sid}")["said"] == ["Your table is ready."]


def test_the_preload_sends_the_apps_own_requests_to_the_api_to_serve(
    serve: ServeProcess, tmp_path: Path
) -> None:
    """An app that calls the REST API without a helper library (axios in a conference
    dashboard sample, fetch, a bare ``https.get``) reaches ``serve`` through the README's
    preload too, rather than the real ``api.twilio.com``."""
    result = run_with_preload(serve, HERE / "own_requests_app.js", node_modules(), tmp_path)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": [201, "queued"],
        "listed": [200, [sid]],
        "axios": [200, "+15558675310"],
        "https": [200, sid],
        "lookup": [200, "+14155550100", True],
        "otherHost": True,
    }
    sent = serve.get("api-requests")["api_requests"]
    assert [(each["method"], each["kind"]) for each in sent] == [
        ("POST", "calls.create"),
        ("GET", "calls.list"),
        ("GET", "calls.fetch"),
        ("GET", "calls.fetch"),
        ("GET", "lookups.v2.fetch"),
    ]


def test_the_preload_reaches_twilio_node_3_as_the_sample_apps_lock_it(
    serve: ServeProcess, tmp_path: Path
) -> None:
    """twilio-node 3.42 exports no ``RequestClient`` and loads it at the first request: a
    client the app makes itself still reaches ``serve``."""
    modules = node_modules(HERE_3, CACHE_3)
    result = run_with_preload(serve, HERE / "unchanged_app.js", modules, tmp_path)
    sid = result["sid"]
    assert result == {
        "sid": sid,
        "created": "queued",
        "fetched": "+15558675310",
        "lookup": [
            "+14155550100",
            {"caller_name": None, "caller_type": None, "error_code": None},
        ],
    }
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["status"], call["said"]) == ("completed", ["Your table is ready."])


def test_the_preload_reaches_twilio_node_2_as_older_samples_lock_it(
    serve: ServeProcess, tmp_path: Path
) -> None:
    """twilio-node 2 (a call-status dashboard sample's) has no RequestClient: its Client's
    base URL is rewritten, credentials kept, so makeCall and calls(sid).get reach serve."""
    modules = node_modules(HERE_2, CACHE_2)
    result = run_with_preload(serve, HERE / "unchanged_app_2.js", modules, tmp_path)
    sid = result["sid"]
    assert result == {"sid": sid, "created": "queued", "fetched": "+15558675310"}
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["status"], call["said"][0]) == (
        "completed",
        "Thanks for trying our documentation. Enjoy!",
    )


def test_the_preload_reaches_an_app_run_with_tsx(serve: ServeProcess, tmp_path: Path) -> None:
    """tsx compiles every module it loads itself, so a preload wrapping Node's ``.js``
    loader never saw twilio's RequestClient and the app reached the real api.twilio.com;
    the README's preload patches the module once compiled, whoever compiles it."""
    package = {"name": "ts-app", "version": "1.0.0", "type": "module"}
    modules = node_modules(HERE_TSX, CACHE_TSX)
    result = run_with_preload(serve, HERE / "typescript_app.ts", modules, tmp_path, package)
    sid = result["sid"]
    assert result == {"sid": sid, "created": "queued", "fetched": "+15558675310"}
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["status"], call["said"]) == ("completed", ["Your table is ready."])
