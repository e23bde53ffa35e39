"""twimlsim: an offline, exact simulator of Twilio Programmable Voice for Python tests.

Start with ``Simulator`` (or the ``twimlsim`` pytest fixture). What it hands a test:
``SimCall`` (``sim.calls[sid]``), ``SimConference`` (``sim.conferences[name]``),
``WebhookRequest``/``WebhookResponse`` and ``ApiRequest`` (the request logs), ``CallFailure``
(``sim.failures``), ``Phone`` (``sim.phone(n)``), ``Application`` (``sim.application()``);
errors derive from ``TwimlsimError``. The other public modules: ``twimlsim.assertions``
(``Match``, ``assert_requests``...), ``twimlsim.properties`` and ``twimlsim.strategies``
(property-based callers), ``twimlsim.testcase`` (``TwimlsimMixin`` for unittest),
``twimlsim.report`` (``format_call``...) and ``twimlsim.engine.events`` (the transcript's
event classes).

Names are imported on first use (PEP 562), so that ``import twimlsim``, and the pytest
plugin in a run that does not use it, cost next to nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock as VirtualClock
    from twimlsim.engine.caller import Phone as Phone
    from twimlsim.engine.conferences import SimConference as SimConference
    from twimlsim.engine.session import SimCall as SimCall
    from twimlsim.engine.webhooks import WebhookRequest as WebhookRequest
    from twimlsim.engine.webhooks import WebhookResponse as WebhookResponse
    from twimlsim.errors import CallFailure as CallFailure
    from twimlsim.errors import ConfigurationError as ConfigurationError
    from twimlsim.errors import NetworkEscapeError as NetworkEscapeError
    from twimlsim.errors import RunawayCalls as RunawayCalls
    from twimlsim.errors import SimulationError as SimulationError
    from twimlsim.errors import TwilioApiError as TwilioApiError
    from twimlsim.errors import TwimlsimError as TwimlsimError
    from twimlsim.model.api_log import ApiRequest as ApiRequest
    from twimlsim.model.application import Application as Application
    from twimlsim.model.call import CallStatus as CallStatus
    from twimlsim.signature import compute_signature as compute_signature
    from twimlsim.simulator import Simulator as Simulator
    from twimlsim.twiml import Problem as Problem
    from twimlsim.twiml import parse_twiml as parse_twiml

__version__ = "0.1.0"

_LOCATIONS = {
    "ApiRequest": "twimlsim.model.api_log",
    "Application": "twimlsim.model.application",
    "CallFailure": "twimlsim.errors",
    "CallStatus": "twimlsim.model.call",
    "ConfigurationError": "twimlsim.errors",
    "NetworkEscapeError": "twimlsim.errors",
    "Phone": "twimlsim.engine.caller",
    "Problem": "twimlsim.twiml",
    "RunawayCalls": "twimlsim.errors",
    "SimCall": "twimlsim.engine.session",
    "SimConference": "twimlsim.engine.conferences",
    "SimulationError": "twimlsim.errors",
    "Simulator": "twimlsim.simulator",
    "TwilioApiError": "twimlsim.errors",
    "TwimlsimError": "twimlsim.errors",
    "VirtualClock": "twimlsim.clock",
    "WebhookRequest": "twimlsim.engine.webhooks",
    "WebhookResponse": "twimlsim.engine.webhooks",
    "compute_signature": "twimlsim.signature",
    "parse_twiml": "twimlsim.twiml",
}

__all__ = sorted(_LOCATIONS)

# the public submodules the documentation reaches as attributes after ``import twimlsim``
# (``twimlsim.report.format_simulator(sim)`` in a script or REPL)
_SUBMODULES = frozenset({"assertions", "properties", "report", "strategies", "testcase"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"twimlsim.{name}")
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'twimlsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LOCATIONS])
