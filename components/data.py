"""Opening the dataset once per process, and caching what pages ask of it.

``st.cache_resource`` holds one :class:`rasd.query.Dataset` per (path, manifest mtime), so a
rebuild (which replaces ``manifest.json``) is picked up on the next rerun without a restart.
Query results are cached with ``st.cache_data`` keyed on the dataset and the filters; they
come back as copies, so a page may change what it gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from rasd.config import Settings
from rasd.filters import Filters
from rasd.query import Dataset, DatasetError, build_command, open_dataset


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


def load_dataset(path: Path | None = None) -> Loaded | LoadError:
    """Open the dataset at ``path`` (default: :func:`data_dir`); never raises.

    Failures are not cached, so fixing the data and rerunning is enough.
    """
    path = path if path is not None else data_dir()
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

    Filters are keyed without their notices (which do not change the answer).
    """
    canonical = tuple(a.with_() if isinstance(a, Filters) else a for a in args)
    return _cached(loaded.dataset, loaded.key, method, canonical, tuple(sorted(kwargs.items())))
