"""Duplicate detection: fingerprints, exact and near copies, order-independent originals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from rasd.dedup import BANDS, NUM_PERM, find_duplicates, fingerprint, similarity

GOLDEN = Path(__file__).resolve().parent / "golden" / "clean"
A = (GOLDEN / "001_d4c75918ac5c958f.txt").read_text(encoding="utf-8").strip()
B = (GOLDEN / "004_d99eb047aeee1334.txt").read_text(encoding="utf-8").strip()


def test_fingerprint_shape_and_exact_folding() -> None:
    fp = fingerprint(A)
    assert len(fp.signature) == 4 * NUM_PERM and len(fp.band_keys) == BANDS
    assert fingerprint(A.replace("أ", "ا") + "  ").digest == fp.digest


def test_near_copy_is_similar_and_other_story_is_not() -> None:
    trimmed = (
        A.replace("اليوم الأربعاء", "يوم الأربعاء", 1).rsplit("\n", 1)[0] + "\nسطر ختامي مختلف."
    )
    assert 0.6 < similarity(fingerprint(A).signature, fingerprint(trimmed).signature) < 1.0
    assert similarity(fingerprint(A).signature, fingerprint(B).signature) < 0.2


def run(articles: list[tuple[str, str, datetime | None]]) -> dict[str, tuple[str, str]]:
    con = duckdb.connect()
    fps = {aid: fingerprint(text) for aid, text, _ in articles}
    con.register(
        "fp_df",
        pd.DataFrame(
            [(aid, fps[aid].digest, fps[aid].signature, ts) for aid, _, ts in articles],
            columns=["article_id", "digest", "signature", "published_at"],
        ),
    )
    con.execute("CREATE TABLE fingerprints AS SELECT * FROM fp_df")
    con.register(
        "band_df",
        pd.DataFrame(
            [(aid, b, k) for aid, fp in fps.items() for b, k in enumerate(fp.band_keys)],
            columns=["article_id", "band", "key"],
        ),
    )
    con.execute("CREATE TABLE fp_bands AS SELECT * FROM band_df")
    return {d.article_id: (d.duplicate_of, d.kind) for d in find_duplicates(con)}


def test_groups_point_to_the_earliest_published_copy() -> None:
    edited = A.replace("اليوم الأربعاء", "يوم الأربعاء", 1)
    early, late = datetime(2024, 6, 19, tzinfo=UTC), datetime(2024, 6, 20, tzinfo=UTC)
    found = run(
        [
            ("z-late", A, late),
            ("a-undated", A, None),
            ("m-early", edited, early),
            ("other", B, None),
        ]
    )
    assert found == {"z-late": ("m-early", "near"), "a-undated": ("m-early", "near")}


def test_order_of_input_does_not_change_the_answer() -> None:
    rows = [("x", A, None), ("y", A, None), ("z", B, None)]
    assert run(rows) == run(rows[::-1]) == {"y": ("x", "exact")}


def test_minhash_is_bit_identical_to_datasketch() -> None:
    """dedup computes datasketch's affine32 MinHash in numpy; the signatures must not move."""
    import numpy as np
    from datasketch import MinHash

    from rasd.dedup import _TEMPLATE, _minhash, _shingle_hashes

    rng = np.random.default_rng(7)
    samples = [
        rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32) for n in (1, 2, 5, 300)
    ]
    samples.append(np.array([0, 2**32 - 1, 1], dtype=np.uint32))
    samples.append(_shingle_hashes(A.split()))
    for hashes in samples:
        reference = MinHash(
            num_perm=NUM_PERM,
            seed=1,
            hashfunc=lambda v: v,
            permutations=_TEMPLATE.permutations,
            scheme=_TEMPLATE.scheme,
        )
        reference.update_batch([int(h) for h in hashes])
        assert (
            _minhash(hashes).astype("<u4").tobytes() == reference.hashvalues.astype("<u4").tobytes()
        )


def test_fingerprint_of_short_and_empty_texts() -> None:
    for text in ("", "...", "كلمة", "كلمتان فقط هنا"):
        fp = fingerprint(text)
        assert len(fp.signature) == 4 * NUM_PERM and len(fp.band_keys) == BANDS
    assert fingerprint("").signature != fingerprint("كلمة").signature


def test_candidates_counted_in_parts_give_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """At a million articles the candidate pairs are counted in parts on disk; the same
    duplicates come out whatever the number of parts."""
    from rasd import sql

    edited = A.replace("اليوم الأربعاء", "يوم الأربعاء", 1)
    rows = [(f"a{i:02d}", text, None) for i, text in enumerate([A, B, edited, A, B] * 6)]
    whole = run(rows)
    assert len(whole) == 28  # 30 articles in 2 groups: A with its edited copies, and B
    monkeypatch.setattr(sql, "PART_ROWS", 10)
    assert run(rows) == whole


def test_shingle_hashes_are_the_documented_polynomial() -> None:
    """The 5-word shingle hashes, spelled out in plain integers: stored signatures depend on
    them, so a faster numpy formulation must give exactly these values."""
    import zlib

    from rasd.dedup import SHINGLE_WORDS, _shingle_hashes

    def reference(words: list[str]) -> list[int]:
        if not words:
            return [0]
        if len(words) < SHINGLE_WORDS:
            return [zlib.crc32(" ".join(words).encode())]
        out = []
        for i in range(len(words) - SHINGLE_WORDS + 1):
            h = 0
            for word in words[i : i + SHINGLE_WORDS]:
                h = (h * 0x9E3779B1 + zlib.crc32(word.encode())) % 2**64
            out.append((h >> 16) & 0xFFFFFFFF)
        return out

    words = (A + " " + B).split()
    for n in (0, 1, 4, 5, 6, 9, len(words)):
        assert _shingle_hashes(words[:n]).tolist() == reference(words[:n])
