"""Completeness: every Parquet column is documented in the README, and the README gives
the two set-up commands that .ci/run relies on."""

from __future__ import annotations

import re
from pathlib import Path

from rasd.schema import COLUMN_DOCS, TABLES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_column_is_documented_in_the_readme() -> None:
    for table, schema in TABLES.items():
        section = README.split(f"### {table}.parquet", 1)
        assert len(section) == 2, f"README has no section for {table}.parquet"
        body = section[1].split("\n### ", 1)[0]
        documented = set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.MULTILINE))
        assert documented == set(schema.names), table
        assert set(COLUMN_DOCS[table]) == set(schema.names), table


def test_readme_gives_the_two_commands_and_ci_runs_the_second() -> None:
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
