"""Loading a page in headless Chromium (Debian's ``chromium`` package) and reading back
what a measuring script found in it."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "measure"]

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)

#: Put first in <head>: keeps every script error and console error the page produces.
ERROR_TRAP = """<script>
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push("error: " + e.message));
console.error = (...args) => window.__errors.push("console.error: " + args.join(" "));
</script>"""

#: Put last in <body>: measures the timeline and writes the result into the page.
MEASURE = """<script>
(() => {
  const svg = document.querySelector("svg.timeline");
  const box = svg.getBoundingClientRect();
  const outside = (r, b) =>
    r.left < b.left - 0.5 || r.right > b.right + 0.5 ||
    r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5;
  const short = (el) => el.outerHTML.slice(0, 120);
  const result = {
    svg: {width: box.width, height: box.height},
    viewport: window.innerWidth,
    pageWidth: document.documentElement.scrollWidth,
    resources: performance.getEntriesByType("resource").map((e) => e.name),
    lanes: [], outsideSvg: [], outsideSpan: [], overlapping: [],
  };
  for (const lane of svg.querySelectorAll("g.lane")) {
    result.lanes.push({
      call: lane.dataset.call,
      spans: [...lane.querySelectorAll("rect.span")].map((r) => ({
        verb: r.getAttribute("class").replace("span verb-", ""),
        width: r.getBoundingClientRect().width,
      })),
      events: [...lane.querySelectorAll("text.event-label")].map((t) => t.textContent),
      webhooks: [...lane.querySelectorAll("text.webhook-label")].map((t) => t.textContent),
    });
  }
  for (const el of svg.querySelectorAll("text, rect, circle, line")) {
    if (outside(el.getBoundingClientRect(), box)) result.outsideSvg.push(short(el));
  }
  for (const verb of svg.querySelectorAll("g.verb")) {
    const label = verb.querySelector("text");
    const span = verb.querySelector("rect").getBoundingClientRect();
    if (label && outside(label.getBoundingClientRect(), span)) {
      result.outsideSpan.push(short(label));
    }
  }
  const labels = [...svg.querySelectorAll("text")];
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i].getBoundingClientRect();
    for (let j = i + 1; j < labels.length; j++) {
      const b = labels[j].getBoundingClientRect();
      const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 ||
        a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
      if (!apart) result.overlapping.push([short(labels[i]), short(labels[j])]);
    }
  }
  result.errors = window.__errors;
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>"""

_MEASURED = re.compile(r'<pre id="measured">(.*?)</pre>', re.DOTALL)


def measure(page: Path, work: Path) -> tuple[dict[str, Any], list[str]]:
    """Load a copy of ``page`` with the measuring scripts in headless Chromium; return
    what they measured and the console lines Chromium logged."""
    assert CHROMIUM is not None
    text = page.read_text(encoding="utf-8")
    copy = work / f"measured-{page.name}"
    copy.write_text(
        text.replace("<head>", "<head>" + ERROR_TRAP, 1).replace("</body>", MEASURE + "</body>", 1),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={work / 'chromium-profile'}",
            "--window-size=1280,1600",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            copy.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = _MEASURED.search(done.stdout)
    assert found is not None, (
        f"Chromium wrote no measurements (exit {done.returncode}):\n{done.stderr}"
    )
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    return json.loads(html.unescape(found.group(1))), console
