"""The console script: clear one-line errors, exit codes, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def rasd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rasd.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_build_seeds(tmp_path: Path) -> None:
    result = rasd("build", "data/raw", "--out", str(tmp_path / "ds"))
    assert result.returncode == 0, result.stderr
    assert "5 records read" in result.stderr
    assert (tmp_path / "ds" / "manifest.json").is_file()


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    result = rasd("build", "data/raw", "--out", str(tmp_path / "ds"), "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--out", "OUT"], "no inputs"),
        (["build", "no/such/dir", "--out", "OUT"], "input not found"),
        (["build", "data/raw", "--out", "OUT", "--map", "text"], "FIELD=COLUMN"),
        (["build", "data/raw", "--out", "OUT", "--map", "colour=x"], "must be one of"),
        (["build", "data/raw", "--out", "OUT", "--workers", "0"], "at least 1"),
        (["build", "data/raw", "--out", "README_AS_PARENT/ds"], "cannot write"),
        (["build", "data/raw"], "--out"),
        (["build", "data/raw", "--out", "OUT", "--engine", "dask"], "--scheduler"),
        (["build", "data/raw", "--out", "OUT", "--incremental"], "needs an existing dataset"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_unusable_invocations(tmp_path: Path, args: list[str], message: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    args = [
        a.replace("OUT", str(tmp_path / "out")).replace("README_AS_PARENT", str(blocker))
        for a in args
    ]
    result = rasd(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
