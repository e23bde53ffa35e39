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


def node_modules() -> Path:
    """``.venv/node/node_modules`` with twilio installed (installing it the first time)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed")
    version = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    if int(version.lstrip("v").split(".")[0]) < 18:
        pytest.skip(f"the Node check needs node 18 or later (fetch), found {version.strip()}")
    installed = CACHE / "node_modules" / "twilio" / "package.json"
    wanted = (HERE / "package.json").read_text()
    if installed.exists() and (CACHE / "package.json").read_text() == wanted:
        return CACHE / "node_modules"
    CACHE.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE.parent) as scratch:
        (Path(scratch) / "package.json").write_text(wanted)
        npm = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
        done = subprocess.run(npm, cwd=scratch, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"npm install twilio failed:\n{done.stderr}"
        shutil.rmtree(CACHE, ignore_errors=True)
        os.replace(scratch, CACHE)
        Path(scratch).mkdir()  # for TemporaryDirectory's clean-up
    return CACHE / "node_modules"


def test_the_scripts_use_the_readme_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    seams, preload = re.findall(r"```js\n(.*?)```", readme, re.DOTALL)
    assert seams in (HERE / "place_call.js").read_text(encoding="utf-8")
    assert preload == (HERE / "twimlsim-preload.js").read_text(encoding="utf-8")


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
    preload = ["--require", str(HERE / "twimlsim-preload.js")]
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
    assert result == {"sid": sid, "created": "queued", "fetched": "+15558675310"}
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["direction"], call["to"], call["status"], call["said"]) == (
        "outbound-api",
        "+15558675310",
        "completed",
        ["Your table is ready."],
    )
