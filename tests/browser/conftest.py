"""Browser-test harness: Debian's Chromium driven by Playwright, against a real
``streamlit run`` of app.py.

Fixtures:
    chromium_browser   session   playwright Browser (skips locally / fails in CI if missing)
    page               test      fresh context + page; screenshot to test-results/ on failure
    streamlit_server   session   factory: start(data_dir, *, env=None) -> base URL
    seed_dataset       session   Path of the bundled corpus built by `rasd build`
    app_url            session   base URL of the app serving seed_dataset

Helpers live in tests/browser/helpers.py (wait_for_app, presentation_form_chars) so test
modules can import them; they are re-exported here for discoverability.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import presentation_form_chars, wait_for_app

__all__ = ["presentation_form_chars", "wait_for_app"]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-results"

# Playwright's own browser download is not available here; Debian's chromium is.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# --no-sandbox: CI containers run as root; the rest keep Chromium off the network
# and quiet so a run is deterministic and needs nothing but localhost.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 60

StartServer = Callable[..., str]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    executable = os.environ.get("RASD_CHROMIUM", DEFAULT_CHROMIUM)
    if not os.access(executable, os.X_OK):
        message = (
            f"Chromium not found at {executable}. Run `make test` (it installs Debian's "
            "chromium and fonts-noto-core) or point RASD_CHROMIUM at a Chromium binary."
        )
        if in_ci():
            pytest.fail(f"{message} Browser tests may not be skipped in CI.", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # Remember each phase's report so the `page` fixture knows whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(chromium_browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # A picture of the failing page is the fastest way to debug a CI-only failure.
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() else "_" for c in request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


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


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Streamlit runs in its own session, so signalling the group also ends any
    # children it spawned.
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
    process.wait()


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Factory: ``start(data_dir, *, env=None)`` runs app.py on a free port, returns its URL.

    Servers live until the end of the session. Output goes to a log file whose tail is
    shown if the server does not come up.
    """
    processes: list[subprocess.Popen[bytes]] = []

    def start(data_dir: Path | str, *, env: Mapping[str, str] | None = None) -> str:
        port = _free_port()
        log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
        command = [
            # sys.executable is .venv/bin/python when run through `make test`.
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            # Nothing edits files during a test; skip inotify watchers on big trees.
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,  # app.py, pages/, .streamlit/config.toml, static/
                env={**os.environ, "RASD_DATA": str(data_dir), **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        processes.append(process)

        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(f"{base_url}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                state = f"exited {process.returncode}" if process.poll() is not None else "hung"
                pytest.fail(f"streamlit server {state}; log {log_path}:\n{tail}", pytrace=False)
            time.sleep(0.25)
        return base_url

    yield start
    for process in processes:
        _stop(process)


@pytest.fixture(scope="session")
def seed_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus (data/raw) built into a temporary data directory."""
    out = tmp_path_factory.mktemp("seed") / "processed"
    command = [sys.executable, "-m", "rasd.cli", "build", "data/raw", "--out", str(out), "--quiet"]
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0 or not (out / "manifest.json").is_file():
        pytest.fail(
            f"`{' '.join(command)}` exited {result.returncode} without writing "
            f"{out}/manifest.json (does rasd/cli.py call main() under __main__?)\n"
            f"stdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return out


@pytest.fixture(scope="session")
def app_url(streamlit_server: StartServer, seed_dataset: Path) -> str:
    """Base URL (no trailing slash) of app.py serving the bundled corpus."""
    return streamlit_server(seed_dataset)
