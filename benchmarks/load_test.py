"""Bounded load test: 20 concurrent browser sessions changing filters on one server.

    .venv/bin/python benchmarks/load_test.py [--data DIR] [--sessions 20] [--time-limit 900]

Loopback only and bounded: it starts its own ``streamlit run app.py`` on 127.0.0.1 (a free
port), drives a fixed number of sessions (default 20) through one headless Chromium (one
browser context each), each doing the same fixed script of page loads by URL and widget
changes, and stops at a hard time limit. Without ``--data`` it builds the bundled corpus
(``data/raw``) into a temporary directory first.

Each session does the same 12 steps: two loads of a URL carrying filters (a new Streamlit
session each: the browser loads the whole front end again), five page switches from the
sidebar menu and five widget changes (search text, language, period, clear filters), all
reruns of the open session. Sessions arrive over the first 20 s, then overlap. Two times per
step, from the action: the *server response*, until the server's ``script_finished``
message for the run it caused arrives on the session's WebSocket (parsed with Streamlit's
protobuf), and *until drawn*, until the app is idle in the browser (script finished, no
skeletons, every Plotly chart drawn: the conditions of
``tests/browser/helpers.wait_for_app``). No fixed settle pause is counted. On a small
machine the browser's twenty renderers compete with the server for the same cores, so
"until drawn" measures the test rig as much as the app. The server's resident memory (its
process and children, from ``/proc``) is sampled every 0.5 s.

Errors: Streamlit exceptions on the page, JavaScript page errors, HTTP responses with status
>= 400 (except the front end's expected 404 probes), a page that does not load, and a run
the server does not finish within 60 s of the action. Reported apart (``--strict`` counts
both as errors):

* *browser-side timeouts*: the server had answered but the browser did not draw the page,
  or a control was not ready, within 60 s;
* *charts torn down mid-draw*: a JavaScript error thrown inside Plotly.js (the stack is in
  Streamlit's ``PlotlyChart`` bundle) reading a private field of a graph that no longer has
  one (``Cannot read properties of undefined (reading '_axisMatchGroups')``), while or soon
  after the session left the page. Streamlit's chart component calls ``Plotly.purge`` when a
  chart unmounts, and purge deletes ``gd._fullLayout`` under a draw that plotly.js is still
  finishing asynchronously (a starved renderer is slow to finish it); the draw's next step
  then throws. The chart was being removed: nothing shows to the viewer. It is the known
  unmount-during-draw race of plotly.js behind React wrappers (plotly/react-plotly.js#140,
  #199; plotly/dash-core-components#672), not something the app's pages can avoid. The same
  message anywhere else (no page being left, or not from Plotly.js) stays an error.

The script prints a table and exits 1 on any error or when the hard time limit was hit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.browser.conftest import CHROMIUM_ARGS, DEFAULT_CHROMIUM  # noqa: E402

# The same idle conditions as tests/browser/helpers.wait_for_app (Streamlit 1.67's root
# element publishes its connection and script state).
APP = "[data-testid='stApp']"
IDLE = f"{APP}[data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
DRAWN = """() => document.querySelectorAll('[data-testid="stSkeleton"]').length === 0 &&
  [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('svg.main-svg'))"""
STEP_TIMEOUT_MS = 60_000
#: A URL load starts a new session and loads the whole front end again.
LOAD_TIMEOUT_MS = 120_000
#: Sessions arrive one every RAMP_S / sessions seconds, then overlap for the rest of the run.
RAMP_S = 20.0
#: Steps that unmount the open page's charts: a page switch, or loading another URL.
LEAVING_STEPS = ("page switch", "load URL")
#: A purged chart's pending draw may throw this long after its page was left (a starved
#: renderer finishes it late); the step that left the page has at most STEP_TIMEOUT_MS.
TEARDOWN_WINDOW_S = 2 * STEP_TIMEOUT_MS / 1000
#: What Plotly.js throws when ``Plotly.purge`` removed the graph's state under its draw.
TEARDOWN_MESSAGE = re.compile(r"Cannot read properties of (?:undefined|null) \(reading '_\w+'\)")
# Twenty pages share one browser and only one has focus: without these, Chromium throttles
# the other pages' timers and rendering, and the test would measure its power saving.
NO_THROTTLING = [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


@dataclass
class Result:
    """What one session saw."""

    #: (kind, step, server response s, until drawn s)
    latencies: list[tuple[str, str, float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the browser, not the server, ran out of time (drawing, or a control not ready)
    browser_timeouts: list[str] = field(default_factory=list)
    #: Plotly.js errors from charts of a page that was being left (see the module docstring)
    torn_down: list[str] = field(default_factory=list)


class BrowserTimeout(Exception):
    """The server had answered, but the browser did not draw or act in time."""


async def in_browser(awaitable: Awaitable[Any]) -> Any:
    try:
        return await awaitable
    except PlaywrightTimeout as exc:
        raise BrowserTimeout(str(exc).splitlines()[0]) from exc


# -- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.read() == b"ok")
    except (urllib.error.URLError, OSError):
        return False


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MiB (from /proc/<pid>/status)."""
    total_kb = 0
    for child in _tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


class Sampler(threading.Thread):
    """Samples the server's RSS every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[float] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append(rss_mb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def start_server(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "RASD_DATA": str(data)},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while not _healthy(f"http://127.0.0.1:{port}/_stcore/health"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            raise SystemExit(f"streamlit did not start; see {log}")
        time.sleep(0.25)
    return process


def stop_server(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


def build_bundled(out: Path) -> Path:
    command = [sys.executable, "-m", "rasd.cli", "build", "data/raw", "--out", str(out), "--quiet"]
    subprocess.run(command, cwd=ROOT, check=True, timeout=600)
    return out


# -- one session -----------------------------------------------------------------------------


def torn_down_mid_draw(message: str, stack: str, seconds_since_leaving: float | None) -> bool:
    """True for a Plotly.js error thrown by a chart that is being removed.

    ``message``/``stack``: the page error's; ``seconds_since_leaving``: since the session
    last started leaving a page (``None`` if it has not left one yet).
    """
    return (
        seconds_since_leaving is not None
        and 0 <= seconds_since_leaving <= TEARDOWN_WINDOW_S
        and TEARDOWN_MESSAGE.search(message) is not None
        and "PlotlyChart" in stack
    )


def http_error(url: str, status: int) -> bool:
    """A response that counts as an error.

    Streamlit's front end, opened at ``/<page>``, first probes ``/<page>/_stcore/health``
    and ``host-config`` (in case the app is served under that path) and falls back to
    ``/_stcore/...`` on a 404: those expected 404s are not errors.
    """
    if status < 400:
        return False
    probe = url.endswith(("/_stcore/health", "/_stcore/host-config"))
    return not (status == 404 and probe)


async def wait_idle(page: Page) -> None:
    await page.locator(IDLE).wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    await page.wait_for_function(DRAWN, timeout=STEP_TIMEOUT_MS)


class Runs:
    """Counts the script runs the server reports finished to one page (``script_finished``
    messages on Streamlit's WebSocket, parsed with Streamlit's own protobuf)."""

    def __init__(self, page: Page) -> None:
        self.finished = 0
        self.finish_times: list[float] = []
        self.changed = asyncio.Event()
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        try:
            message = ForwardMsg.FromString(payload)
        except Exception:  # not a ForwardMsg: ignore
            return
        if message.WhichOneof("type") != "script_finished":
            return
        if message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1
            self.finish_times.append(time.perf_counter())
            self.changed.set()

    async def wait_after(self, count: int, timeout_ms: float = STEP_TIMEOUT_MS) -> float:
        """Wait for the run after the first ``count``; when the server finished it."""
        while self.finished <= count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), timeout_ms / 1000)
        return self.finish_times[count]


async def timed_goto(page: Page, runs: Runs, url: str) -> tuple[float, float]:
    """Load a URL (a new session): (until the server finished its run, until drawn)."""
    before = runs.finished
    started = time.perf_counter()
    await page.goto(url, timeout=LOAD_TIMEOUT_MS)
    finished = await runs.wait_after(before, LOAD_TIMEOUT_MS)
    await in_browser(wait_idle(page))
    return finished - started, time.perf_counter() - started


async def timed_rerun(
    page: Page, runs: Runs, action: Callable[[], Awaitable[Any]]
) -> tuple[float, float]:
    """A widget change or page switch: (until its rerun finished, until it is drawn)."""
    before = runs.finished
    started = time.perf_counter()
    await in_browser(action())
    finished = await runs.wait_after(before)
    await in_browser(wait_idle(page))
    return finished - started, time.perf_counter() - started


async def run_session(
    browser: Browser, base: str, index: int, sessions: int, outlets: list[str]
) -> Result:
    result = Result()
    rng = random.Random(index)
    outlet = outlets[index % len(outlets)]
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    page = await context.new_page()
    runs = Runs(page)
    leaving: dict[str, Any] = {"at": None, "step": ""}

    def page_error(exc: Any) -> None:
        message = str(getattr(exc, "message", "") or exc)
        stack = str(getattr(exc, "stack", "") or "")
        since = None if leaving["at"] is None else time.perf_counter() - leaving["at"]
        if torn_down_mid_draw(message, stack, since):
            result.torn_down.append(f"{leaving['step']}: {message.splitlines()[0][:160]}")
        else:
            result.errors.append(f"page error: {exc}")

    page.on("pageerror", page_error)
    page.on(
        "response",
        lambda r: (
            result.errors.append(f"HTTP {r.status} {r.url}")
            if http_error(r.url, r.status)
            else None
        ),
    )
    await asyncio.sleep(index * RAMP_S / max(sessions, 1) + rng.uniform(0, 0.5))

    async def search() -> None:
        box = page.get_by_role("textbox", name="Search text")
        await box.fill("بوتين")
        await box.press("Enter")

    async def click_text(text: str) -> None:
        await page.get_by_text(text, exact=True).first.click()

    def go_to(title: str) -> Callable[[], Awaitable[None]]:
        async def click() -> None:  # the sidebar menu: a rerun on another page, no reload
            await page.get_by_role("link", name=title).first.click()

        return click

    async def clear() -> None:
        await page.get_by_role("button", name="مسح عوامل التصفية").click()

    # URL loads open a new Streamlit session (the whole front end loads again); page
    # switches and widget changes are reruns of the session that is open.
    steps: list[tuple[str, str, Any]] = [
        ("load URL", "/?lang=en", f"{base}/?lang=en"),
        ("page switch", "→ articles", go_to("Articles")),
        ("widget", "search text", search),
        ("widget", "language → ar", lambda: click_text("العربية")),
        ("load URL", "/articles?outlet=", f"{base}/articles?outlet={outlet}"),
        ("page switch", "→ overview", go_to("نظرة عامة")),
        ("widget", "period → month", lambda: click_text("شهر")),
        ("page switch", "→ timeline", go_to("الخط الزمني")),
        ("page switch", "→ sources", go_to("المصادر")),
        ("page switch", "→ entities", go_to("الكيانات")),
        ("page switch", "→ data", go_to("البيانات والجودة")),
        ("widget", "clear filters", clear),
    ]
    try:
        for index, (kind, name, target) in enumerate(steps):
            if kind in LEAVING_STEPS and index > 0:  # the first load leaves no page
                leaving.update(at=time.perf_counter(), step=name)
            try:
                if kind == "load URL":
                    response, drawn = await timed_goto(page, runs, target)
                else:
                    response, drawn = await timed_rerun(page, runs, target)
            except BrowserTimeout as exc:
                result.browser_timeouts.append(f"{name}: {exc}"[:200])
                continue
            except Exception as exc:  # a step that fails is an error, the session goes on
                result.errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            result.latencies.append((kind, name, response, drawn))
            shown = await page.locator("[data-testid='stException']").count()
            if shown:
                result.errors.append(f"{name}: {shown} exception(s) shown")
    finally:
        await context.close()
    return result


# -- the run -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q / 100 * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def drive(
    base: str, sessions: int, chromium: str, outlets: list[str], time_limit: float
) -> tuple[list[Result], bool]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS + NO_THROTTLING
        )
        tasks = [
            asyncio.create_task(run_session(browser, base, i, sessions, outlets))
            for i in range(sessions)
        ]
        done, pending = await asyncio.wait(tasks, timeout=time_limit)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        results = []
        for task in done:
            if task.exception() is not None:
                results.append(Result(errors=[f"session crashed: {task.exception()!r}"]))
            else:
                results.append(task.result())
        await browser.close()
    return results, bool(pending)


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {
        "p50_s": statistics.median(values),
        "p95_s": percentile(values, 95),
        "max_s": max(values),
    }


def report(
    results: list[Result], timed_out: bool, samples: list[float], rss: dict[str, float], wall: float
) -> dict[str, Any]:
    every = [row for r in results for row in r.latencies]
    groups: list[tuple[str, list[tuple[str, str, float, float]]]] = [("all", every)]
    for kind in ("load URL", "page switch", "widget"):
        groups.append((kind, [row for row in every if row[0] == kind]))
    for step in dict.fromkeys(row[1] for row in every):
        groups.append((f"  {step}", [row for row in every if row[1] == step]))
    errors = [e for r in results for e in r.errors]
    print(
        f"\n{'':<20} {'':>4} {'server response s':^26} {'until drawn s':^26}"
        f"\n{'interactions':<20} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8}"
        f" {'p50':>8} {'p95':>8} {'max':>8}"
    )
    summary: dict[str, Any] = {}
    for name, rows in groups:
        response = _stats([row[2] for row in rows])
        drawn = _stats([row[3] for row in rows])
        summary[name.strip()] = {"n": len(rows), "response": response, "drawn": drawn}
        cells = [response["p50_s"], response["p95_s"], response["max_s"]]
        cells += [drawn["p50_s"], drawn["p95_s"], drawn["max_s"]]
        print(
            f"{name:<20} {len(rows):>4} "
            + " ".join(f"{c:>8.2f}" if c is not None else f"{'-':>8}" for c in cells)
        )
    print(
        f"\nserver RSS MiB: start {rss['start']:.0f}, after warm-up {rss['warm']:.0f}, "
        f"peak {max(samples, default=0):.0f}, end {rss['end']:.0f} ({len(samples)} samples)"
    )
    browser = [e for r in results for e in r.browser_timeouts]
    torn_down = [e for r in results for e in r.torn_down]
    print(
        f"sessions: {len(results)}, wall time {wall:.1f} s, errors: {len(errors)}, "
        f"browser-side timeouts: {len(browser)}, charts torn down mid-draw: {len(torn_down)} "
        f"(on {os.cpu_count()} cores)"
    )
    for error in errors[:20]:
        print(f"  ! {error.splitlines()[0][:200]}")
    for timeout in browser[:10]:
        print(f"  ~ {timeout}")
    for teardown in torn_down[:10]:
        print(f"  ~ chart torn down mid-draw, {teardown}")
    if timed_out:
        print("  ! hard time limit reached: sessions were cancelled")
    return {
        "latency": summary,
        "rss_mib": {**rss, "peak": max(samples, default=0)},
        "errors": errors,
        "browser_timeouts": browser,
        "torn_down_mid_draw": torn_down,
        "timed_out": timed_out,
        "wall_s": wall,
        "sessions": len(results),
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="built dataset (default: build data/raw)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (20)")
    parser.add_argument("--time-limit", type=float, default=900, help="hard limit, s (900)")
    parser.add_argument("--chromium", default=os.environ.get("RASD_CHROMIUM", DEFAULT_CHROMIUM))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="browser-side timeouts and charts torn down mid-draw count as errors too",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 50:
        parser.error("--sessions must be between 1 and 50 (the test is bounded)")

    with tempfile.TemporaryDirectory(prefix="rasd-load-") as tmp:
        data = args.data or build_bundled(Path(tmp) / "processed")
        import pandas as pd

        outlets = sorted(pd.read_parquet(data / "articles.parquet")["outlet_id"].unique())
        port = _free_port()
        server = start_server(data, port, Path(tmp) / "server.log")
        base = f"http://127.0.0.1:{port}"
        sampler = Sampler(server.pid)
        try:
            rss = {"start": rss_mb(server.pid)}
            # Warm-up: one session's pages, so the figures are steady state, not imports.
            warm_up, _ = asyncio.run(drive(base, 1, args.chromium, outlets, args.time_limit))
            rss["warm"] = rss_mb(server.pid)
            sampler.start()
            started = time.monotonic()
            results, timed_out = asyncio.run(
                drive(base, args.sessions, args.chromium, outlets, args.time_limit)
            )
            wall = time.monotonic() - started
            time.sleep(2)  # let the server drop the closed sessions
            rss["end"] = rss_mb(server.pid)
        finally:
            sampler.stop()
            stop_server(server)
        warm_errors = [f"warm-up: {e}" for r in warm_up for e in r.errors]
        figures = report(results, timed_out, sampler.samples, rss, wall)
        figures["errors"] = warm_errors + figures["errors"]
        figures["torn_down_mid_draw"] += [f"warm-up: {e}" for r in warm_up for e in r.torn_down]
        for error in warm_errors:
            print(f"  ! {error}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    apart = figures["browser_timeouts"] or figures["torn_down_mid_draw"]
    failed = figures["errors"] or timed_out or (args.strict and apart)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
