"""What to say when a call is stopped for fetching too many documents, by what it fetched
last: the usual cause is a far end scripted to answer but never to hang up, going round a
menu or a recording prompt that a real caller would leave."""

from __future__ import annotations

__all__ = ["document_loop_message"]


def document_loop_message(limit: int, kind: str, far_end: str, *, silent: bool = False) -> str:
    """The failure message once ``limit`` documents were fetched on one call, the last a
    ``kind`` request (``record``, ``gather``, ``redirect``...), ``far_end`` the number the
    call is with; ``silent`` when it gave no input at any of the call's ``<Gather>``s (a
    test that scripted none, or scripted it only after the call ran)."""
    if kind == "record":
        why = (
            "the last one a <Record> action: a <Record> without an action requests its own "
            "document again, so a far end that never hangs up is asked to record again and "
            "again; script it to hang up after its message "
            f"(sim.phone({far_end!r}).records(5, hangs_up=True)) or give the <Record> an "
            "action"
        )
    elif kind == "pay":
        why = (
            "the last one a <Pay> action: a <Pay> without an action requests its own "
            "document again, which asks for the payment again, whatever its Result; give "
            'the <Pay> an action (<Pay action="/paid">) whose TwiML goes on'
        )
    elif silent:
        why = (
            "a <Gather> loop? the far end gave no input at any <Gather>: script it before the "
            f"call runs (sim.phone({far_end!r}).presses('1')), and its hang-up, since a far end "
            f"that never hangs up goes round a menu again and again "
            f"(sim.phone({far_end!r}).hangs_up(after=60))"
        )
    else:
        why = (
            "a <Gather> or <Redirect> loop? a far end that never hangs up goes round it again "
            f"and again; script its hang-up (sim.phone({far_end!r}).hangs_up(after=60))"
        )
    return f"{limit} documents fetched on one call ({why}); twimlsim ended the call"
