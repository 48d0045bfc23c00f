"""Rewrite the seed goldens from the current cleaner. Review the diff before committing.

Usage: .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd

from rasd.build import build

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ds"
        build([ROOT / "data" / "raw"], out, workers=1)
        articles = pd.read_parquet(out / "articles.parquet")
    meta = {}
    for row in articles.itertuples():
        name = Path(row.source_ref).name
        (GOLDEN / "clean" / name).write_text(row.text + "\n", encoding="utf-8")
        meta[name] = {
            "title": None if pd.isna(row.title) else row.title,
            "outlet": row.outlet,
            "outlet_id": row.outlet_id,
            "published_at": None if pd.isna(row.published_at) else row.published_at.isoformat(),
            "published_precision": row.published_precision,
            "published_basis": row.published_basis,
        }
    (GOLDEN / "seeds.json").write_text(
        json.dumps(dict(sorted(meta.items())), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
