"""Opening the dataset once per process, and caching what pages ask of it.

``st.cache_resource`` holds one :class:`rasd.query.Dataset` per (path, manifest mtime), so a
rebuild (which replaces ``manifest.json``) is picked up on the next rerun without a restart.
Query results are cached with ``st.cache_data`` keyed on the dataset and the filters; they
come back as copies, so a page may change what it gets.

When ``RASD_DATA_ROOT`` is set, a ``RASD_DATA`` that resolves outside it (or a dataset file
that is a symlink out of it) is refused with a page that says so. When ``RASD_DATA`` is not
set and the default ``data/processed`` has no dataset (a fresh clone on Streamlit Community
Cloud: built data is git-ignored), :func:`ensure_default_dataset` builds the bundled corpus
there once, showing progress; ``rasd build`` writes the directory atomically.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from components.i18n import t
from rasd.config import ROOT, Settings, escaping_path
from rasd.filters import Filters
from rasd.query import Dataset, DatasetError, build_command, open_dataset

#: Upper bound on the first-start build of the bundled corpus (it takes seconds).
AUTO_BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class LoadError:
    """Why the dataset could not be opened, and the command that fixes it."""

    reason: str
    detail: str
    fix: str
    path: str
    unexpected: bool = False


@dataclass(frozen=True)
class Loaded:
    """An opened dataset and the key its cached results are filed under."""

    dataset: Dataset
    key: str


def data_dir() -> Path:
    """The dataset directory the app reads (``RASD_DATA``, default ``data/processed``)."""
    return Settings.from_env().data_dir


def _manifest_stamp(path: Path) -> float:
    try:
        return (path / "manifest.json").stat().st_mtime
    except OSError:
        return -1.0


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(path: str, stamp: float) -> Dataset:
    # ``stamp`` is only part of the cache key: a rebuild changes the manifest's mtime.
    del stamp
    return open_dataset(path)


def _outside_root(path: Path, root: Path) -> LoadError | None:
    try:
        escaping = escaping_path(path, root)
    except (OSError, RuntimeError) as err:  # e.g. a symlink loop
        escaping, detail = path, f"{path} cannot be resolved ({type(err).__name__})"
    else:
        detail = f"{escaping} resolves outside RASD_DATA_ROOT ({root})"
    if escaping is None:
        return None
    fix = f"{build_command(root / 'processed')}\nexport RASD_DATA={root / 'processed'}"
    return LoadError("outside_root", detail, fix, str(path))


def load_dataset(path: Path | None = None) -> Loaded | LoadError:
    """Open the dataset at ``path`` (default: :func:`data_dir`); never raises.

    Failures are not cached, so fixing the data and rerunning is enough.
    """
    settings = Settings.from_env()
    path = path if path is not None else settings.data_dir
    if settings.data_root is not None:
        refused = _outside_root(path, settings.data_root)
        if refused is not None:
            return refused
    stamp = _manifest_stamp(path)
    try:
        dataset = _open(str(path), stamp)
    except DatasetError as err:
        return LoadError(err.reason, err.detail, err.fix, str(path))
    except Exception as err:  # any failure must become a message, not a traceback
        detail = f"{type(err).__name__}: {err}"[:300]
        return LoadError("unexpected", detail, build_command(path), str(path), unexpected=True)
    return Loaded(dataset, f"{path}|{stamp}|{dataset.dataset_id}")


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(
    _dataset: Dataset, key: str, method: str, args: tuple[Any, ...], kwargs: tuple[Any, ...]
) -> Any:
    del key  # part of the cache key only: which build the answer belongs to
    return getattr(_dataset, method)(*args, **dict(kwargs))


def query(loaded: Loaded, method: str, *args: Any, **kwargs: Any) -> Any:
    """``loaded.dataset.<method>(*args, **kwargs)``, cached across sessions.

    Filters are keyed without their notices and the link's dataset id (which do not change
    the answer).
    """
    canonical = tuple(a.with_(dataset=None) if isinstance(a, Filters) else a for a in args)
    return _cached(loaded.dataset, loaded.key, method, canonical, tuple(sorted(kwargs.items())))


# -- first start: build the bundled corpus into the default directory -----------------------


@dataclass
class _BuildState:
    """One per process: whether the first-start build already failed (and why)."""

    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(show_spinner=False)
def _build_state() -> _BuildState:
    return _BuildState()


def needs_auto_build(settings: Settings) -> bool:
    """True when the app should build the bundled corpus itself: ``RASD_DATA`` unset, no
    dataset at the default path, and the bundled corpus present."""
    return (
        settings.data_dir_is_default
        and not (settings.data_dir / "manifest.json").exists()
        and settings.raw_dir.is_dir()
    )


def _run_build(settings: Settings, status: Any, lang: str) -> str | None:
    """Run ``rasd build`` in a child process; the error text, or ``None`` on success."""
    command = [
        sys.executable, "-m", "rasd.cli", "build", str(settings.raw_dir),
        "--out", str(settings.data_dir), "--quiet",
    ]  # fmt: skip
    started = time.monotonic()
    # stderr to a file, not a pipe: a chatty failure cannot fill a pipe and stall the child.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        with subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "RASD_DATA": str(settings.data_dir)},
        ) as process:
            while process.poll() is None:
                elapsed = time.monotonic() - started
                if elapsed > AUTO_BUILD_TIMEOUT_S:
                    process.kill()
                    process.wait()
                    return f"rasd build took longer than {AUTO_BUILD_TIMEOUT_S} s"
                status.update(label=t("autobuild_running", lang, seconds=int(elapsed)))
                time.sleep(0.5)
        log.seek(0)
        stderr = log.read()
    if process.returncode != 0:
        return f"rasd build exited {process.returncode}: {stderr.strip()[-500:]}"
    return None


def ensure_default_dataset(lang: str) -> None:
    """Build the bundled corpus into the default data directory if it has no dataset.

    Runs once per process (a failure is not retried until the server restarts; the page
    then shows the usual missing-dataset message with the command). Concurrent sessions,
    and other server processes, wait on a lock file beside the directory.
    """
    settings = Settings.from_env()
    if not needs_auto_build(settings):
        return
    state = _build_state()
    if state.error is not None:
        return
    with st.status(t("autobuild_running", lang, seconds=0), expanded=False) as status:
        with state.lock:
            settings.data_dir.parent.mkdir(parents=True, exist_ok=True)
            lock_path = settings.data_dir.parent / f".{settings.data_dir.name}.build.lock"
            with open(lock_path, "w", encoding="utf-8") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building
                if needs_auto_build(settings):
                    try:
                        state.error = _run_build(settings, status, lang)
                    except OSError as err:
                        state.error = f"{type(err).__name__}: {err}"
        if state.error is None:
            status.update(label=t("autobuild_done", lang), state="complete")
        else:
            status.update(label=t("autobuild_failed", lang), state="error")
            st.code(state.error, language="text")
