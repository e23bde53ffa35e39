"""Every JSON body the fake API returns in these tests is checked against Twilio's spec.

Without the spec (``../shared/data/twilio_api_v2010.json`` beside the repository) the
tests still run, unchecked; ``test_the_body_checker_catches_wrong_bodies`` is skipped
with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from tests.rest import schema
from twimlsim.rest.app import RestApi


class BodyLog:
    """The (method, path, status) of each checked body and every problem found."""

    def __init__(self) -> None:
        self.checked: list[tuple[str, str, int]] = []
        self.problems: list[str] = []
        self.apis: list[RestApi] = []


@pytest.fixture(autouse=True)
def checked_bodies(monkeypatch: pytest.MonkeyPatch) -> Iterator[BodyLog]:
    """Wrap ``RestApi.handle`` (and its direct way for call creates, ``_create``):
    validate each JSON body; fail the test on any problem."""
    log = BodyLog()
    spec_present = schema.SPEC_PATH.exists()  # without it only the schema check is off
    original = RestApi.handle
    original_create = RestApi._create

    def check(api: RestApi, method: str, path: str, status: int, content: bytes) -> None:
        if api not in log.apis:
            log.apis.append(api)
        body: Any = json.loads(content)
        log.checked.append((method, path, status))
        if spec_present:
            log.problems.extend(schema.problems(method, path, status, body))

    def handle(self: RestApi, request: Request) -> Response:
        response = original(self, request)
        if self not in log.apis:
            log.apis.append(self)
        if response.mimetype == "application/json":
            check(self, request.method, request.path, response.status_code, response.get_data())
        return response

    def create(
        self: RestApi, url: str, path: str, account_sid: str, authorization: str, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        answer = original_create(self, url, path, account_sid, authorization, body)
        check(self, "POST", path, answer[0], answer[2])
        return answer

    monkeypatch.setattr(RestApi, "handle", handle)
    monkeypatch.setattr(RestApi, "_create", create)
    yield log
    errors = [error for api in log.apis for error in api.internal_errors]
    assert not errors, f"the fake API hit internal errors: {errors!r}"
    assert not log.problems, "\n".join(log.problems)
