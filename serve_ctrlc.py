import subprocess, time, signal, sys, json, requests
p = subprocess.Popen(["/work/wt/attack4/.venv/bin/twimlsim", "serve", "--number", "+15005550006"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
info = json.loads(p.stdout.readline())
r = requests.post(info["url"] + f"/2010-04-01/Accounts/{info['account_sid']}/Calls.json", data={"To": "+15558675310", "From": "+15005550006", "Url": "http://127.0.0.1:18765/voice"}, auth=(info["account_sid"], info["auth_token"]))
print(r.status_code)
time.sleep(2.5)
t = time.monotonic()
p.send_signal(signal.SIGINT)
try:
    out, _ = p.communicate(timeout=25)
except subprocess.TimeoutExpired:
    p.kill(); out, _ = p.communicate(); print("DID NOT STOP")
print("rc", p.returncode, "after", round(time.monotonic() - t, 2), "s")
print(out[-2500:])
