"""The console script: clear one-line errors, exit codes, never a traceback."""

from __future__ import annotations

import json
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


def test_a_corpus_without_a_recognised_date_gets_a_hint(tmp_path: Path) -> None:
    """A scraper's export whose date field has a name the build does not know: every
    article would be undated, so the build says how to name the field."""
    record = {
        "source": "النهار",
        "date_extracted": "2021-07-05T23:51:00+03:00",
        "content": (
            "صادق البرلمان في روسيا على معاهدة الدفاع المشترك مع كوريا الشمالية يوم الأحد. "
            "وقال المتحدث باسم الكرملين إن المعاهدة تنص على المساعدة العسكرية الفورية. "
            "وأعربت كوريا الجنوبية عن قلقها من التعاون العسكري بين البلدين، ودعت اليابان "
            "والولايات المتحدة إلى تنسيق المواقف قبل اجتماع مجلس الأمن المقبل."
        ),
    }
    corpus = tmp_path / "export.jsonl"
    corpus.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    unmapped = rasd("build", str(corpus), "--out", str(tmp_path / "a"))
    assert unmapped.returncode == 0, unmapped.stderr
    assert "--map published_at=FIELD" in unmapped.stderr
    mapped = rasd(
        "build", str(corpus), "--out", str(tmp_path / "b"), "--map", "published_at=date_extracted"
    )
    assert mapped.returncode == 0, mapped.stderr
    assert "1 records read" in mapped.stderr and "published_at=FIELD" not in mapped.stderr
    seeds = rasd("build", "data/raw", "--out", str(tmp_path / "c"))
    assert "published_at=FIELD" not in seeds.stderr


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
