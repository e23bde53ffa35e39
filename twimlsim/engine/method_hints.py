"""The hint of a 405: the method the app refused, and where that method came from.

A request a TwiML element makes (a ``<Redirect>``, a ``<Gather>``'s action...) takes the
element's own method attribute, POST by default (Twilio's pages for each verb), whatever
the method its document was requested with: a voice URL configured with GET whose
document ends in ``<Redirect/>`` (back to itself, the sample apps' loop) is requested
again with POST, and a GET-only route answers 405."""

from __future__ import annotations

__all__ = ["method_not_allowed_hint"]

#: The element behind each kind of request a document makes, whose ``method`` it uses.
_ELEMENTS = {
    "redirect": "<Redirect>",
    "gather": "<Gather>",
    "record": "<Record>",
    "dial": "<Dial>",
    "enqueue": "<Enqueue>",
    "pay": "<Pay>",
    "connect": "<Connect>",
    "queue": "<Queue>",
}


def method_not_allowed_hint(method: str, kind: str | None) -> str:
    """The hint of a 405 to ``method`` for a request of ``kind`` (None: not known)."""
    name = _ELEMENTS.get(kind or "")
    if name is not None and method == "POST":
        return (
            f"the app does not accept POST at this URL: the document's {name} requests it "
            "with its own method attribute (POST unless written), not with the method that "
            f'fetched the document; write method="GET" on the {name}, or allow POST on the '
            "route"
        )
    if name is not None:  # the element's method attribute chose it, not the webhook's
        return (
            f"the app does not accept {method} at this URL: the document's {name} requests "
            f'it with its method="{method}"; write the method the route takes on the {name} '
            f"(POST when the attribute is left out), or allow {method} on the route"
        )
    return (
        f"the app does not accept {method} at this URL: allow {method} on the route, "
        "or configure the webhook's method to match it"
    )
