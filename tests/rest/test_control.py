"""The control API's far-end steps and OpenAPI document follow ``sim.phone(...)``: a step
added to the Python API cannot be missing from the HTTP one."""

from __future__ import annotations

import inspect

from twimlsim.engine.caller import Phone
from twimlsim.rest.control import STEP_ARGUMENTS, openapi_spec

#: Phone methods that are not script steps.
NOT_STEPS = {"located", "line_type", "caller_name"}


def phone_steps() -> dict[str, set[str]]:
    steps = {}
    for name, method in inspect.getmembers(Phone, inspect.isfunction):
        if name.startswith("_") or name in NOT_STEPS:
            continue
        if inspect.signature(method).return_annotation not in {"Phone", Phone}:
            continue
        parameters = inspect.signature(method).parameters
        steps[name] = {parameter for parameter in parameters if parameter != "self"}
    return steps


def test_every_phone_step_is_a_control_action_with_the_same_arguments() -> None:
    assert {action: set(arguments) for action, arguments in STEP_ARGUMENTS.items()} == (
        phone_steps()
    )


def test_the_openapi_document_lists_the_same_actions_and_arguments() -> None:
    variants = openapi_spec()["components"]["schemas"]["StepInput"]["oneOf"]
    described = {
        variant["properties"]["action"]["const"]: set(variant["properties"]) - {"action"}
        for variant in variants
    }
    assert described == {action: set(arguments) for action, arguments in STEP_ARGUMENTS.items()}
