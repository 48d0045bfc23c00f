"""The Dask engine runs the same stages on a cluster and writes the same tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from rasd.build import build
from rasd.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
BODY = (ROOT / "tests" / "golden" / "clean" / "001_d4c75918ac5c958f.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module")
def scheduler() -> object:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    yield cluster.scheduler_address
    cluster.close()


def test_dask_engine_equals_local(tmp_path: Path, scheduler: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for part in range(3):
        lines = [
            json.dumps(
                {
                    "content": f"{BODY}\nفقرة {part}-{i} تضيف تفصيلا يخص هذا الخبر وحده دون غيره من الأخبار.",
                    "source": f"منفذ {i % 4}",
                    "date": f"2024-0{part + 1}-1{i % 9}",
                },
                ensure_ascii=False,
            )
            for i in range(40)
        ] + ['{"broken": ']
        (corpus / f"part-{part}.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (corpus / "seed.txt").write_text(
        (ROOT / "data" / "raw" / "004_d99eb047aeee1334.txt").read_text()
    )

    local = build([corpus], tmp_path / "local", workers=2)
    dask = build([corpus], tmp_path / "dask", engine="dask", scheduler=scheduler)
    for table in TABLES:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "local" / f"{table}.parquet"),
            pd.read_parquet(tmp_path / "dask" / f"{table}.parquet"),
            obj=table,
        )
    assert local.counts == dask.counts
    assert dask.manifest["options"]["engine"] == "dask"
