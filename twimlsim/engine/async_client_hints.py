"""What to say when a webhook failed making an async client outside a running event loop.

aiohttp's ``ClientSession`` (which twilio's ``AsyncTwilioHttpClient`` opens) asks for the
running loop as it is made. A plain ``def`` that FastAPI or Starlette runs in a worker
thread (an endpoint, a dependency, a ``dependency_overrides`` lambda) has none, on Twilio
as in a test, and nor has a WSGI view: the app's 500 names only ``RuntimeError: no running
event loop``.
"""

from __future__ import annotations

__all__ = ["no_running_loop_hint"]

#: What ``asyncio.get_running_loop()`` says outside a running loop.
_NO_RUNNING_LOOP = "no running event loop"


def no_running_loop_hint(error: BaseException | None) -> str | None:
    """The hint for a webhook that raised ``RuntimeError('no running event loop')``, or one
    raised from or while handling it, or None for any other error."""
    seen = 0
    while error is not None and seen < 10:  # a chain is short; a cycle is not followed
        if isinstance(error, RuntimeError) and str(error) == _NO_RUNNING_LOOP:
            return (
                "the app made something that needs a running event loop outside one (aiohttp's "
                "ClientSession, which twilio's AsyncTwilioHttpClient opens, asks for it as it "
                "is made): a plain def that FastAPI or Starlette runs in a worker thread (an "
                "endpoint or dependency, a dependency_overrides lambda included) has none, nor "
                "has a WSGI view; make it where a loop runs: an async def endpoint or "
                "dependency (async with AsyncTwilioHttpClient() as http: yield Client(..., "
                "http_client=http)), or inside asyncio.run() in a WSGI view"
            )
        error = error.__cause__ or error.__context__
        seen += 1
    return None
