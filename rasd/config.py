"""Typed settings read from the environment, with documented defaults.

=====================  ===================================================================
variable               meaning (default)
=====================  ===================================================================
``RASD_DATA``          built dataset the app reads (``data/processed``)
``RASD_RAW``           bundled corpus (``data/raw``)
``RASD_GAZETTEER``     curated entities and lexicons (``data/gazetteer``)
``RASD_DATA_ROOT``     when set, ``RASD_DATA`` must resolve (symlinks followed) inside it,
                       and so must every file in the dataset directory (unset: no limit)
``RASD_REQUIRE_LOGIN`` ``1``: every page needs sign-in; ``0``: never; unset: only when
                       ``[auth]`` is configured in ``.streamlit/secrets.toml``
=====================  ===================================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Repository root (the directory that holds ``data/``), for defaults only.
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "processed"


@dataclass(frozen=True)
class Settings:
    """Where Rasd reads from.

    Attributes:
        data_dir: built dataset the app reads (``RASD_DATA``, default ``data/processed``).
        raw_dir: bundled corpus (``RASD_RAW``, default ``data/raw``).
        gazetteer_dir: curated entities and lexicons (``RASD_GAZETTEER``).
        data_root: directory ``data_dir`` must stay inside (``RASD_DATA_ROOT``; ``None``:
            no limit).
        data_dir_is_default: ``RASD_DATA`` was not set (the app may build the bundled
            corpus there on first start).
        require_login: ``RASD_REQUIRE_LOGIN``: ``True`` / ``False``, or ``None`` when unset
            (then sign-in follows the ``[auth]`` secrets).
    """

    data_dir: Path
    raw_dir: Path
    gazetteer_dir: Path
    data_root: Path | None = None
    data_dir_is_default: bool = False
    require_login: bool | None = None

    @classmethod
    def from_env(cls) -> Settings:
        def value(var: str) -> str:
            return os.environ.get(var, "").strip()

        def path(var: str, default: Path) -> Path:
            return Path(value(var)).expanduser() if value(var) else default

        root = value("RASD_DATA_ROOT")
        login = value("RASD_REQUIRE_LOGIN").lower()
        return cls(
            data_dir=path("RASD_DATA", DEFAULT_DATA_DIR),
            raw_dir=path("RASD_RAW", ROOT / "data" / "raw"),
            gazetteer_dir=path("RASD_GAZETTEER", ROOT / "data" / "gazetteer"),
            data_root=Path(root).expanduser() if root else None,
            data_dir_is_default=not value("RASD_DATA"),
            require_login=(
                True
                if login in {"1", "true", "yes", "on"}
                else False
                if login in {"0", "false", "no", "off"}
                else None
            ),
        )


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def escaping_path(data_dir: Path, root: Path) -> Path | None:
    """The first of ``data_dir`` and its entries that resolves outside ``root``, if any.

    Both sides are resolved (symlinks followed, ``..`` removed) before comparing, so a
    symlinked dataset directory or a ``manifest.json`` / ``*.parquet`` symlink that points
    elsewhere is caught. A path that does not exist yet is resolved as far as it exists.
    """
    real_root = root.resolve()
    if not _inside(data_dir.resolve(), real_root):
        return data_dir
    try:
        entries = sorted(data_dir.iterdir()) if data_dir.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        if not _inside(entry.resolve(), real_root):
            return entry
    return None
