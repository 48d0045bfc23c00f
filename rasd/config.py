"""Typed settings read from the environment, with documented defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Repository root (the directory that holds ``data/``), for defaults only.
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where Rasd reads from.

    Attributes:
        data_dir: built dataset the app reads (``RASD_DATA``, default ``data/processed``).
        raw_dir: bundled corpus (``RASD_RAW``, default ``data/raw``).
        gazetteer_dir: curated entities and lexicons (``RASD_GAZETTEER``).
    """

    data_dir: Path
    raw_dir: Path
    gazetteer_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        def path(var: str, default: Path) -> Path:
            value = os.environ.get(var, "").strip()
            return Path(value).expanduser() if value else default

        return cls(
            data_dir=path("RASD_DATA", ROOT / "data" / "processed"),
            raw_dir=path("RASD_RAW", ROOT / "data" / "raw"),
            gazetteer_dir=path("RASD_GAZETTEER", ROOT / "data" / "gazetteer"),
        )
