"""The login page's time to interactive in Debian's Chromium, cold cache, on this machine.

    python -m bench.portal_load [--runs 7] [--slow]

Serves the built portal (the real app on a free loopback port; the login page needs no
database) and opens ``/login`` in a fresh browser context per run: no cache, as on a first
visit. For each run it prints the bytes transferred (what the server sent, gzip included), the
DOMContentLoaded time and the time to interactive: from navigation start until the 登录 button
is visible and enabled and the page has no request in flight. ``--slow`` throttles the network
to an office intranet over a congested link (10 Mbit/s, 40 ms round trip) through the DevTools
protocol. Prints the medians.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass

from playwright.sync_api import Page, sync_playwright

from jixiao.settings import Settings
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live_server import serving

SLOW = {"offline": False, "latency": 40, "downloadThroughput": 10_000_000 / 8,
        "uploadThroughput": 10_000_000 / 8}


@dataclass(frozen=True)
class Load:
    transferred: int
    dom_content_loaded_ms: float
    interactive_ms: float


# Notes, on every animation frame, the first moment the 登录 button is on screen and enabled.
READY_WATCH = """(() => {
  const check = () => {
    const b = [...document.querySelectorAll('button')]
      .find(e => e.textContent.replace(/\\s/g, '') === '登录');
    if (b && !b.disabled && b.getBoundingClientRect().width > 0) {
      window.__loginReady = performance.now();
    } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
})();"""


def measure(page: Page, url: str) -> Load:
    page.add_init_script(READY_WATCH)
    page.goto(f"{url}/login", wait_until="commit")
    page.wait_for_function("() => window.__loginReady !== undefined")
    page.wait_for_load_state("networkidle")
    interactive = page.evaluate("window.__loginReady")
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const all = [nav, ...performance.getEntriesByType('resource')];
        return {sent: all.reduce((n, e) => n + (e.transferSize || 0), 0),
                dcl: nav.domContentLoadedEventEnd,
                last: Math.max(...all.map(e => e.responseEnd))};
    }""")
    # interactive: the button usable and every file of the first load arrived
    ready = max(interactive, timing["last"])
    return Load(int(timing["sent"]), float(timing["dcl"]), float(ready))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--slow", action="store_true", help="10 Mbit/s, 40 ms round trip")
    args = parser.parse_args()
    loads = []
    with serving(Settings.from_env()) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        for run in range(args.runs):
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            if args.slow:
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", SLOW)
            load = measure(page, url)
            loads.append(load)
            print(f"  run {run + 1}: {load.transferred / 1024:7.1f} KiB transferred, "
                  f"DOMContentLoaded {load.dom_content_loaded_ms:7.1f} ms, "
                  f"interactive {load.interactive_ms:7.1f} ms")
            context.close()
        browser.close()
    network = "10 Mbit/s, 40 ms RTT" if args.slow else "loopback"
    print(f"登录页（{network}，冷缓存，{args.runs} 次中位数）：传输 "
          f"{statistics.median(x.transferred for x in loads) / 1024:.1f} KiB，DOMContentLoaded "
          f"{statistics.median(x.dom_content_loaded_ms for x in loads):.0f} ms，可交互 "
          f"{statistics.median(x.interactive_ms for x in loads):.0f} ms")


if __name__ == "__main__":
    main()
