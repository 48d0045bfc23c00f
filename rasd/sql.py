"""Small helpers for SQL text the build writes for DuckDB."""

from __future__ import annotations

from pathlib import Path


def path_literal(path: Path) -> str:
    """``path`` as a single-quoted SQL string literal (quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


__all__ = ["path_literal"]
