"""<Start><Transcription> against Twilio's <Transcription> page: every attribute it lists is
accepted (no 12200 in strict mode), and the Deepgram engine's default speech model is
reported as the page names it."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator


def started_params(body: str) -> dict[str, str]:
    routes = {"/voice": response(body + "<Say>Hello</Say>"), "/rt": response("")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == []
    started = [r.params for r in call.requests if r.kind == "realtime-transcription"][0]
    assert started["TranscriptionEvent"] == "transcription-started"
    return started


def test_every_attribute_of_the_page_is_accepted() -> None:
    started = started_params(
        '<Start><Transcription statusCallbackUrl="/rt" name="agent-assist" '
        'intelligenceService="GSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" enableProviderData="true" '
        'conversationConfiguration="config-1" conversationId="conv-1"/></Start>'
    )
    assert started["Name"] == "agent-assist"
    assert started["ProviderConfiguration"] == (
        '{"profanityFilter":"true","speechModel":"telephony","enableAutomaticPunctuation":"true"}'
    )


def test_deepgram_reports_its_default_nova_2_model() -> None:
    started = started_params(
        '<Start><Transcription statusCallbackUrl="/rt" transcriptionEngine="deepgram"/></Start>'
    )
    assert started["TranscriptionEngine"] == "deepgram"
    assert started["ProviderConfiguration"] == (
        '{"profanityFilter":"true","speechModel":"nova-2","enableAutomaticPunctuation":"true"}'
    )
