"""The examples ``twimlsim call --help`` and ``twimlsim serve --help`` end with: the
commands a first try types."""

from __future__ import annotations

__all__ = ["CALL_EXAMPLES", "SERVE_EXAMPLES"]


#: What ``twimlsim call --help`` ends with: the commands a first try types.
CALL_EXAMPLES = """examples:
  twimlsim call http://127.0.0.1:5000/voice --incoming --press 1
      a caller rings the app running on port 5000 (its voice URL) and presses 1
  twimlsim call http://127.0.0.1:5000/voice --incoming
      take the call yourself at the keyboard
  twimlsim call https://myapp.test/voice --app app.py --say sales --json
      run the app of app.py in process; print the call as JSON
  twimlsim call http://127.0.0.1:5000/voice --press 1 \\
      --phone 'sim.phone("+15551230000").answers(after=5).hangs_up(after=60)'
      an outbound call; the party the app dials answers after 5 s, talks 60 s"""


#: What ``twimlsim serve --help`` ends with.
SERVE_EXAMPLES = """examples:
  twimlsim serve --clock manual --number +15005550006
      then point the app's Twilio client at url, and from a shell:
  curl -s CONTROL_URL/phones -H 'Content-Type: application/json' \\
      -d '{"number": "+15558675310", "steps": [{"action": "presses", "digits": "1"}]}'
  curl -s -X POST CONTROL_URL/run
      run every call to its end (GET CONTROL_URL/calls lists them)"""
