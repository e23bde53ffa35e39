"""Setting what Lookup reports about a number: ``sim.phone(n).line_type(...)`` and
``.caller_name(...)`` refuse, where they are called, what Twilio would never answer."""

from __future__ import annotations

import pytest

from twimlsim import Simulator
from twimlsim.errors import ConfigurationError
from twimlsim.model.lookup import LineFacts


def test_facts_are_kept_on_the_phone_under_its_e164_number(sim: Simulator) -> None:
    phone = sim.phone("(415) 555-0100").line_type("mobile", carrier_name="T-Mobile USA, Inc.")
    phone.caller_name("Jane Doe")
    assert sim.phone("+14155550100").facts == LineFacts(
        line_type="mobile",
        carrier_name="T-Mobile USA, Inc.",
        caller_name="Jane Doe",
    )
    found = (
        sim.client().lookups.v2.phone_numbers("4155550100").fetch(fields="line_type_intelligence")
    )
    assert found.line_type_intelligence["carrier_name"] == "T-Mobile USA, Inc."
    # a later call replaces the earlier facts of its package
    phone.line_type("landline")
    assert (phone.facts.line_type, phone.facts.carrier_name) == ("landline", None)


@pytest.mark.parametrize(
    ("number", "configure", "message"),
    [
        (
            "+15558675310",
            lambda phone: phone.line_type("mobile"),
            "sim.phone('+15558675310').line_type(): Twilio's Lookup finds +15558675310 "
            "invalid (validation_errors INVALID_BUT_POSSIBLE) and returns no data package for "
            "it; give a number of a range assigned in its country, such as '+14155550100'",
        ),
        (
            "client:alice",
            lambda phone: phone.caller_name("Alice"),
            "sim.phone('client:alice').caller_name(): 'client:alice' is not a phone number "
            "Twilio's Lookup API can look up; Lookup facts belong to phone numbers such as "
            "'+14155550100'",
        ),
        (
            "+447772000001",
            lambda phone: phone.caller_name("Jane"),
            "sim.phone('+447772000001').caller_name(): Twilio's Caller Name covers US numbers "
            "only, and +447772000001 is a number of GB; give a US number such as "
            "'+14155550100'",
        ),
        (
            "+18005550100",
            lambda phone: phone.line_type("tollFree", carrier_name="AT&T"),
            "sim.phone('+18005550100').line_type(): Twilio reports no carrier for a tollFree "
            "number (carrier_name null); leave them out, or give a type with a carrier "
            "(landline, mobile, fixedVoip, nonFixedVoip)",
        ),
        (
            "+14155550100",
            lambda phone: phone.line_type("cell"),
            "sim.phone('+14155550100').line_type(): line_type must be one of Line Type "
            "Intelligence's types (landline, mobile, fixedVoip, nonFixedVoip, personal, "
            "tollFree, premium, sharedCost, uan, voicemail, pager, unknown); got 'cell'",
        ),
        (
            "+14155550100",
            lambda phone: phone.line_type("mobile", mobile_country_code="31"),
            "sim.phone('+14155550100').line_type(): mobile_country_code must be 3 digits such "
            "as '310'; got '31'",
        ),
        (
            "+14155550100",
            lambda phone: phone.caller_name("Jane", caller_type="PERSON"),
            "sim.phone('+14155550100').caller_name(): caller_type must be 'BUSINESS', "
            "'CONSUMER' or None; got 'PERSON'",
        ),
        (
            "+14155550100",
            lambda phone: phone.caller_name("  "),
            "sim.phone('+14155550100').caller_name(): the name is empty; give the CNAM name "
            "Lookup reports, such as 'Jane Doe' (a number without one is simply not given a "
            "caller name)",
        ),
    ],
)
def test_what_twilio_would_never_answer_is_refused_where_it_is_set(
    sim: Simulator, number: str, configure: object, message: str
) -> None:
    phone = sim.phone(number)
    with pytest.raises(ValueError) as refused:
        configure(phone)  # type: ignore[operator]
    assert str(refused.value) == message
    assert phone.facts == LineFacts()


def test_a_wrong_type_is_a_type_error(sim: Simulator) -> None:
    with pytest.raises(TypeError) as refused:
        sim.phone("+14155550100").line_type("mobile", carrier_name=310)  # type: ignore[arg-type]
    assert str(refused.value) == (
        "sim.phone('+14155550100').line_type(): carrier_name must be a string such as "
        "'Verizon Wireless'; got 310 (int)"
    )


def test_a_reset_forgets_the_facts_and_the_old_phone_refuses_more() -> None:
    with Simulator() as sim:
        old = sim.phone("+14155550100").caller_name("Jane Doe")
        sim.reset()
        with pytest.raises(ConfigurationError) as refused:
            old.line_type("mobile")
        assert str(refused.value) == (
            "sim.phone('+14155550100').line_type(): this phone belongs to a simulation that "
            "sim.reset() ended, and its script is forgotten; after a reset, script the far "
            "end again with sim.phone('+14155550100')"
        )
        found = sim.client().lookups.v2.phone_numbers("+14155550100").fetch(fields="caller_name")
        assert found.caller_name == {"caller_name": None, "caller_type": None, "error_code": None}
