"""How ``twimlsim serve`` waits to be stopped: SIGINT (Ctrl-C) or SIGTERM (a supervisor),
caught so that the server still prints its summary and exits with its status."""

from __future__ import annotations

import signal
import threading

__all__ = ["ShutdownSignals", "wait_for_shutdown"]


class ShutdownSignals:
    """SIGINT and SIGTERM caught from the moment it is made until ``close()``: made before
    the banner says the server is up, so that a supervisor stopping it as soon as it reads
    the banner still gets the summary and the exit status (a signal between the two ended
    the process at once)."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self._stopping = threading.Event()
        self._previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }

    def _on_signal(self, signum: int, frame: object) -> None:
        self.received.append(signal.Signals(signum).name)
        self._stopping.set()

    def wait(self) -> str:
        """Block until a signal came (or has come already); its name."""
        while not self._stopping.wait(0.2):
            pass
        return self.received[0]

    def close(self) -> None:
        """Give the signals back to the handlers they had."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def wait_for_shutdown(signals: ShutdownSignals | None = None) -> str:
    """Block until SIGINT or SIGTERM (caught by ``signals``, or from now on); return the
    signal's name."""
    caught = signals if signals is not None else ShutdownSignals()
    try:
        return caught.wait()
    finally:
        if signals is None:
            caught.close()
