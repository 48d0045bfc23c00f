"""Completeness: every Parquet column is documented in the README, the README gives the two
set-up commands that .ci/run relies on, and its Hosting table lists exactly the settings the
app reads from the environment, with their defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def _env_vars_read_by_the_app() -> set[str]:
    """Environment variables the app, its pages and components and ``rasd`` read."""
    read = re.compile(
        r"""(?:environ\.get|environ\.setdefault|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    listed = re.compile(r"""["'](RASD_[A-Z0-9_]+|BROWSER_PATH)["']""")
    names: set[str] = set()
    files = [ROOT / "app.py", *ROOT.glob("components/*.py"), *ROOT.glob("pages/*.py")]
    files += list(ROOT.glob("rasd/*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        names |= set(read.findall(text)) | set(listed.findall(text))
    return names


def _hosting_table() -> dict[str, str]:
    """``| `VAR`, `VAR2` | default | meaning |`` rows of README's Hosting section: var -> default."""
    hosting = README.split("\n## Hosting\n", 1)[1].split("\n### ", 1)[0]
    rows: dict[str, str] = {}
    for line in hosting.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
                rows[name] = cells[1]
    return rows


def test_readme_documents_every_setting_the_app_reads() -> None:
    documented = _hosting_table()
    read = _env_vars_read_by_the_app()
    assert {"RASD_DATA", "RASD_DATA_ROOT", "RASD_REQUIRE_LOGIN"} <= read
    # PORT is the container's (Dockerfile CMD), not read by Python.
    assert set(documented) - {"PORT"} == read
    assert "${PORT}" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_readme_defaults_are_the_code_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.config import ROOT as CONFIG_ROOT
    from rasd.config import Settings

    for var in ("RASD_DATA", "RASD_RAW", "RASD_GAZETTEER", "RASD_DATA_ROOT", "RASD_REQUIRE_LOGIN"):
        monkeypatch.delenv(var, raising=False)
    settings = Settings.from_env()
    documented = _hosting_table()
    assert documented["RASD_DATA"] == f"`{settings.data_dir.relative_to(CONFIG_ROOT)}`"
    raw, gazetteer = re.findall(r"`([^`]+)`", documented["RASD_RAW"])
    assert (raw, gazetteer) == (
        settings.raw_dir.relative_to(CONFIG_ROOT).as_posix(),
        settings.gazetteer_dir.relative_to(CONFIG_ROOT).as_posix(),
    )
    assert settings.data_root is None and documented["RASD_DATA_ROOT"].startswith("unset")
    assert settings.require_login is None and documented["RASD_REQUIRE_LOGIN"] == "unset"
    assert documented["PORT"] == "`8501`"
