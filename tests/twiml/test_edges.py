"""Parser corners: nested identities, comments, depth inside known elements, problem text,
the schema's attribute lookup, and ``nodes.py`` being exactly what the generator writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from twimlsim.twiml import _gen_nodes, parse_twiml
from twimlsim.twiml.nodes import Client, Dial, Say, Sip
from twimlsim.twiml.problems import Problem
from twimlsim.twiml.schema import ELEMENTS


def dial_noun(body: str) -> object:
    parsed = parse_twiml(f"<Response><Dial>{body}</Dial></Response>".encode(), "text/xml")
    assert parsed.document is not None
    dial = parsed.document.children[0]
    assert isinstance(dial, Dial)
    return dial.children[0]


@pytest.mark.parametrize(
    ("body", "identity"),
    [
        ("<Client>alice</Client>", "alice"),
        ("<Client><Identity>bob</Identity></Client>", "bob"),
        ("<Client><Parameter name='a' value='1'/></Client>", ""),
    ],
)
def test_client_identity(body: str, identity: str) -> None:
    client = dial_noun(body)
    assert isinstance(client, Client)
    assert client.identity == identity


@pytest.mark.parametrize(
    ("body", "uri"),
    [
        ("<Sip>sip:a@example.com</Sip>", "sip:a@example.com"),
        ("<Sip><Uri>sip:b@example.com</Uri></Sip>", "sip:b@example.com"),
        ("<Sip><Parameter name='a' value='1'/></Sip>", ""),
    ],
)
def test_sip_uri(body: str, uri: str) -> None:
    sip = dial_noun(body)
    assert isinstance(sip, Sip)
    assert sip.uri == uri


def test_url_with_a_space_is_a_schema_warning() -> None:
    parsed = parse_twiml(b'<Response><Gather action="/a b"/></Response>', "text/xml")
    assert [str(problem) for problem in parsed.problems] == [
        "line 1: <Gather> action warning 12200: <Gather> action='/a b' is invalid: expected an "
        "absolute or relative http/https URL without spaces; ignored "
        "(https://www.twilio.com/docs/errors/12200)"
    ]


def test_comments_and_processing_instructions_are_not_children() -> None:
    body = (
        b"<Response><Gather><!-- c --><?pi x?><Say>Hi</Say></Gather>"
        b"<Foo><!-- c --></Foo></Response>"
    )
    parsed = parse_twiml(body, "text/xml")
    assert parsed.document is not None
    gather, unknown = parsed.document.children
    assert gather.children == (Say(line=1, text="Hi", spoken_text="Hi"),)
    assert unknown.children == ()


@pytest.mark.parametrize("inner", ["Foo", "prosody"], ids=["unknown", "ssml"])
def test_depth_limit_applies_to_known_and_unknown_elements(inner: str) -> None:
    nested = f"<{inner}>" * 40 + "x" + f"</{inner}>" * 40
    parsed = parse_twiml(f"<Response><Say>{nested}</Say></Response>".encode(), "text/xml")
    assert parsed.document is None
    assert [str(problem) for problem in parsed.problems] == [
        "line 1: error 12100: Document parse failure: elements are nested more than 32 levels "
        "deep (https://www.twilio.com/docs/errors/12100)"
    ]


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem(12100, "error", "bad"),
            "line ?: error 12100: bad (https://www.twilio.com/docs/errors/12100)",
        ),
        (
            Problem(13520, "warning", "empty", element="Say", line=3),
            "line 3: <Say> warning 13520: empty (https://www.twilio.com/docs/errors/13520)",
        ),
    ],
)
def test_problem_text(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_schema_attribute_lookup() -> None:
    say = ELEMENTS["Say"]
    loop = say.attr("loop")
    assert loop is not None
    assert (loop.wire, loop.field_name, loop.default) == ("loop", "loop", 1)
    assert say.attr("numDigits") is None


def test_enqueue_with_a_workflow_needs_no_queue_name() -> None:
    workflow = b"WW0123456789abcdef0123456789abcdef"
    parsed = parse_twiml(
        b'<Response><Enqueue workflowSid="' + workflow + b'"/></Response>', "text/xml"
    )
    assert parsed.problems == ()


def test_enqueue_with_a_workflow_that_is_no_sid_is_14220_alone() -> None:
    """Twilio's 14220 "Enqueue: Provided Workflow was not a valid sid"; no 14204 for the
    missing name beside it (the workflow names the queue)."""
    parsed = parse_twiml(b'<Response><Enqueue workflowSid="WW0123"/></Response>', "text/xml")
    assert [(p.code, p.level, p.message) for p in parsed.problems] == [
        (
            14220,
            "error",
            "<Enqueue> workflowSid='WW0123' is invalid: expected a Workflow SID (WW followed "
            "by 32 hex digits); ignored",
        )
    ]


def test_dial_queue_with_a_reservation_needs_no_queue_name() -> None:
    """TaskRouter's page bridges a reservation with ``<Queue reservationSid="WR..."/>``;
    a name given is still checked."""
    reservation = b'<Queue reservationSid="WR0123456789abcdef0123456789abcdef"'
    unnamed = parse_twiml(b"<Response><Dial>" + reservation + b"/></Dial></Response>", "text/xml")
    too_long = parse_twiml(
        b"<Response><Dial>" + reservation + b">" + b"q" * 65 + b"</Queue></Dial></Response>",
        "text/xml",
    )
    assert unnamed.problems == ()
    assert [(p.code, p.level) for p in too_long.problems] == [(14213, "error")]


def test_dial_call_reason_of_twilios_dial_page_is_an_attribute() -> None:
    """``callReason`` (branded calls) is on Twilio's Dial page though twilio-python's
    builder lacks it: no 12200, and the node keeps it."""
    body = b'<Response><Dial callReason="Appointment reminder">+15551234567</Dial></Response>'
    parsed = parse_twiml(body, "text/xml")
    assert parsed.problems == ()
    assert parsed.document is not None
    dial = parsed.document.children[0]
    assert isinstance(dial, Dial) and dial.call_reason == "Appointment reminder"


def test_client_notification_url_of_twilios_13807_page_is_an_attribute() -> None:
    """``clientNotificationUrl`` is a ``<Client>`` attribute (Twilio's 13807 page)."""
    body = (
        b'<Response><Dial><Client clientNotificationUrl="https://app.test/notify">alice'
        b"</Client></Dial></Response>"
    )
    assert parse_twiml(body, "text/xml").problems == ()
    client = dial_noun('<Client clientNotificationUrl="https://app.test/notify">alice</Client>')
    assert isinstance(client, Client)
    assert client.client_notification_url == "https://app.test/notify"


def test_nodes_py_is_what_the_generator_writes() -> None:
    generated = _gen_nodes.render()
    nodes = Path(_gen_nodes.__file__).with_name("nodes.py")
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip(f"ruff not found at {ruff}: cannot format the generated source")
    formatted = subprocess.run(
        [str(ruff), "format", "--stdin-filename", str(nodes), "-"],
        input=generated,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert formatted == nodes.read_text(), (
        "nodes.py differs from the generator's output: run "
        "`python -m twimlsim.twiml._gen_nodes > twimlsim/twiml/nodes.py && ruff format`"
    )


NO_NAMESPACE = "TwiML elements are in no namespace: remove the xmlns declaration"


@pytest.mark.parametrize(
    ("document", "written"),
    [
        (b'<Response xmlns="https://www.twilio.com/docs/api/twiml"/>', "Response"),
        (b'<tw:Response xmlns:tw="https://www.twilio.com/docs/api/twiml"/>', "tw:Response"),
    ],
    ids=["default-namespace", "prefix"],
)
def test_a_root_in_a_namespace_is_named_as_written_with_its_namespace(
    document: bytes, written: str
) -> None:
    parsed = parse_twiml(document, "text/xml")
    assert [(p.code, p.level, p.line, p.message) for p in parsed.problems] == [
        (
            12102,
            "error",
            1,
            f"The root element must be <Response>, not <{written}> in the XML namespace "
            f"'https://www.twilio.com/docs/api/twiml'; {NO_NAMESPACE}",
        )
    ]


@pytest.mark.parametrize(
    ("inner", "written"),
    [('<Say xmlns="urn:x">hi</Say>', "Say"), ('<x:Say xmlns:x="urn:x">hi</x:Say>', "x:Say")],
    ids=["default-namespace", "prefix"],
)
def test_an_element_in_a_namespace_is_named_as_written_and_skipped(
    inner: str, written: str
) -> None:
    parsed = parse_twiml(f"<Response>\n{inner}</Response>".encode(), "text/xml")
    assert parsed.document is not None and len(parsed.document.children) == 1
    assert [(p.code, p.level, p.element, p.line, p.message) for p in parsed.problems] == [
        (
            12200,
            "warning",
            written,
            2,
            f"<{written}> in the XML namespace 'urn:x' is not a TwiML voice element "
            f"({NO_NAMESPACE}); Twilio logs a schema warning and skips it",
        )
    ]


def test_an_attribute_in_a_namespace_is_named_as_written() -> None:
    parsed = parse_twiml(b'<Response xmlns:x="urn:x"><Pause x:length="3"/></Response>', "text/xml")
    assert [(p.code, p.attribute, p.message) for p in parsed.problems] == [
        (
            12200,
            "x:length",
            "<Pause> has no attribute 'x:length' (did you mean 'length'? names are "
            "case-sensitive); Twilio ignores it",
        )
    ]


def test_a_task_that_is_not_json_is_14221() -> None:
    """Twilio's 14221 "Enqueue: Provided Attributes JSON was not valid"."""
    body = (
        b'<Response><Enqueue workflowSid="WW0123456789abcdef0123456789abcdef">'
        b"<Task>{'lang': 'en'}</Task></Enqueue></Response>"
    )
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.level, p.element, p.message) for p in parsed.problems] == [
        (
            14221,
            "error",
            "Task",
            "<Task> text is not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)): Twilio cannot create the TaskRouter task from "
            "\"{'lang': 'en'}\"; write its attributes as a JSON object, e.g. "
            '<Task>{"selected_language": "en"}</Task>',
        )
    ]
