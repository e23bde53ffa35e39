"""Drive ``twimlsim serve`` the way a test in another language does: a subprocess, its JSON
banner, plain HTTP. Nothing here imports twimlsim.

``ServeProcess`` starts the server with a manual clock (so tests are exact and fast) and
``WebhookApp`` serves a table of TwiML documents on a real local port. Every wait has a
timeout and every port is chosen by the operating system.
"""

from __future__ import annotations

import json
import re
import selectors
import signal
import subprocess
import sys
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema
import requests
from werkzeug.serving import make_server

from fixtures.twiml_app import Handler, TwimlApp

TIMEOUT = 10
ROOT = Path(__file__).resolve().parents[2]


class ServeProcess:
    """``python -m twimlsim serve`` in a subprocess, driven over HTTP."""

    def __init__(self, *options: str) -> None:
        command = [sys.executable, "-m", "twimlsim", "serve", *options]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=TIMEOUT):
                self.kill()
                raise AssertionError(f"twimlsim serve printed nothing within {TIMEOUT} s")
        line = self.process.stdout.readline()
        if not line:
            _, err = self.kill()
            raise AssertionError(f"twimlsim serve exited at start: {err}")
        self.banner: dict[str, Any] = json.loads(line)
        self.url: str = self.banner["url"]
        self.control: str = self.banner["control_url"]
        self.auth = (self.banner["account_sid"], self.banner["auth_token"])
        self.session = requests.Session()

    # -- the fake Twilio API --------------------------------------------------------------

    @property
    def calls_url(self) -> str:
        """The Calls resource, at Twilio's path."""
        return f"{self.url}/2010-04-01/Accounts/{self.auth[0]}/Calls.json"

    def create_call(self, **data: str) -> str:
        """Place an outbound call through the REST API; return its SID."""
        response = self.session.post(self.calls_url, data=data, auth=self.auth, timeout=TIMEOUT)
        assert response.status_code == 201, response.text
        sid: str = response.json()["sid"]
        return sid

    # -- the control API ----------------------------------------------------------------

    def get(self, path: str) -> Any:
        """GET a control endpoint that must answer 200; its JSON (checked against the
        OpenAPI document)."""
        response = self.session.get(f"{self.control}/{path}", timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        if path != "openapi.json":
            self.check_response("get", path, response)
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        """POST JSON to a control endpoint that must answer ``status``; its JSON (checked
        against the OpenAPI document)."""
        response = self.session.post(f"{self.control}/{path}", json=body or {}, timeout=TIMEOUT)
        assert response.status_code == status, response.text
        self.check_response("post", path, response)
        return response.json()

    def check_response(self, method: str, path: str, response: requests.Response) -> None:
        """Validate ``response`` against what the OpenAPI document says ``method path``
        answers with its status."""
        spec = self.openapi
        for template, item in spec["paths"].items():
            pattern = re.sub(
                r"\\\{\w+\\\}", "[^/]+", re.escape(template.removeprefix("/twimlsim/"))
            )
            if re.fullmatch(pattern, path) and method in item:
                answers = item[method]["responses"][str(response.status_code)]
                if "$ref" in answers:
                    answers = spec["components"]["responses"][answers["$ref"].rsplit("/", 1)[1]]
                schema = answers["content"]["application/json"]["schema"]
                jsonschema.Draft202012Validator({**schema, **spec}).validate(response.json())
                return
        raise AssertionError(f"{method.upper()} /twimlsim/{path} is not in the OpenAPI document")

    @cached_property
    def openapi(self) -> dict[str, Any]:
        """The control API's OpenAPI document, as the server serves it."""
        spec: dict[str, Any] = self.get("openapi.json")
        return spec

    def check(self, schema: str, body: Any) -> None:
        """Validate ``body`` against the OpenAPI document's schema ``schema``."""
        resolvable = {"$ref": f"#/components/schemas/{schema}", **self.openapi}
        jsonschema.Draft202012Validator(resolvable).validate(body)

    # -- stopping ------------------------------------------------------------------------

    def signal(self, signum: signal.Signals) -> tuple[int, str]:
        """Send ``signum``; wait for the exit; return (exit status, standard error)."""
        self.session.close()
        self.process.send_signal(signum)
        try:
            _, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"twimlsim serve did not stop within {TIMEOUT} s") from None
        return self.process.returncode, err

    def kill(self) -> tuple[str, str]:
        """Stop at once (test clean-up); return what it printed."""
        self.session.close()
        if self.process.poll() is None:
            self.process.kill()
        out, err = self.process.communicate(timeout=TIMEOUT)
        return out, err


class WebhookApp:
    """A ``TwimlApp`` on a real local port: ``url`` is its base URL."""

    def __init__(self, routes: dict[str, str | Handler]) -> None:
        self.app = TwimlApp(routes)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)  # type: ignore[arg-type]
        self.url = f"http://127.0.0.1:{self.server.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,))
        self.thread.daemon = True
        self.thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=TIMEOUT)
