"""Exact and near-duplicate detection over normalised article text, at any corpus size.

Each article gets, in the worker that cleans it, a digest of its normalised words (exact
copies) and a MinHash signature of its 5-word shingles cut into bands (near copies: wire
stories with a rewritten intro or a trimmed tail). Candidate pairs are articles that share a
band key; DuckDB finds them with a join over Parquet, so memory stays bounded however many
articles there are (datasketch's own in-memory LSH index keeps every key in Python dicts,
gigabytes at a million articles). Candidates are verified on the full signature.

The original of a group is the copy published first (undated copies after dated ones,
ties broken by article id), so the answer does not depend on the order inputs were read in
and an incremental build equals a full one.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash

from rasd.normalize import tokens
from rasd.sql import create_table, shared_key_pairs

#: Shingle length in words. Why 5: long enough that shared phrases of common news language
#: ("قال الرئيس الروسي") do not make unrelated stories look alike.
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity above which two articles are the same text. Why 0.8: wire
#: copies with a rewritten first sentence or a trimmed last paragraph stay above it.
NEAR_THRESHOLD = 0.8
#: 64 permutations in 16 bands of 4 rows: a pair at similarity 0.8 becomes a candidate with
#: probability 1 - (1 - 0.8^4)^16 > 0.999; unrelated articles (similarity < 0.1) almost never.
NUM_PERM = 64
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
#: Candidates must share at least two bands. Why: a pair at similarity 0.8 shares on average
#: 6.5 bands and fewer than two with probability 0.25%, while pairs that merely share
#: boilerplate (similarity 0.3-0.4) hit one band often and two rarely.
MIN_SHARED_BANDS = 2


@dataclass(frozen=True)
class Fingerprint:
    """What dedup needs to know about one article, computed where it is cleaned."""

    digest: str
    signature: bytes  # NUM_PERM little-endian uint32
    band_keys: tuple[int, ...]  # one signed 64-bit key per band


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """32-bit hashes of the 5-word shingles of ``words``, as a uint32 array.

    Each word is hashed once (crc32: stable across processes, C-speed) and windows are
    combined arithmetically with numpy; building every shingle string was half the cost of
    fingerprinting an article.
    """
    if not words:
        return np.zeros(1, dtype=np.uint32)
    if len(words) < SHINGLE_WORDS:
        return np.array([zlib.crc32(" ".join(words).encode())], dtype=np.uint32)
    # map() keeps the per-word loop in C (a generator expression was a third of the cost).
    word_hashes = np.fromiter(
        map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words)
    )
    count = len(words) - SHINGLE_WORDS + 1
    # Odd multiplier, wrap-around uint64 arithmetic, keep 32 bits: a polynomial hash. The
    # first step of the polynomial (0 * multiplier + first word) is the first word itself;
    # the rest is done in place, which saves an array per operation (a quarter of the time).
    combined = word_hashes[:count].copy()
    for offset in range(1, SHINGLE_WORDS):
        combined *= _SHINGLE_MULTIPLIER
        combined += word_hashes[offset : offset + count]
    combined >>= np.uint64(16)
    combined &= np.uint64(0xFFFFFFFF)
    return combined.astype(np.uint32)


_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B1)


# Drawing the random permutations is costly; every signature must use the same ones anyway.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
if _TEMPLATE.scheme != "affine32":  # pragma: no cover - guards a datasketch upgrade
    raise RuntimeError(f"dedup expects datasketch's affine32 MinHash, got {_TEMPLATE.scheme}")
_PERM_A, _PERM_B = (np.asarray(p, dtype=np.uint32) for p in _TEMPLATE.permutations)
#: MurmurHash3's 32-bit finalizer: shift, multiplier, shift, multiplier, shift.
_FMIX32 = tuple(np.uint32(c) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))


def _minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature of a non-empty set of 32-bit hashes, as uint32 values.

    Bit for bit what ``datasketch.MinHash(num_perm=NUM_PERM, seed=1)`` (scheme "affine32")
    gives after ``update_batch`` with an identity hash function: each hash is premixed with
    the MurmurHash3 finalizer, then permutation k maps it to ``a_k * h + b_k`` modulo 2**32,
    and the signature keeps each permutation's minimum (datasketch starts from 2**32 - 1,
    which a minimum over a non-empty set never exceeds). Done here in numpy because
    datasketch calls the hash function once per shingle in Python and rebuilds its
    permutation arrays for every sketch: two thirds of the cost of a fingerprint.
    ``tests/test_dedup.py`` checks the equality against datasketch itself.
    """
    s1, m1, s2, m2, s3 = _FMIX32
    h = hashes ^ (hashes >> s1)  # a new array: the caller's hashes are not changed
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    # The (shingles x permutations) table built with one allocation, not two (a * h, then
    # + b): half the time of the signature on news articles.
    table = np.multiply.outer(h, _PERM_A)
    table += _PERM_B
    values: np.ndarray = table.min(axis=0)
    return values


def fingerprint(body: str) -> Fingerprint:
    """Digest, MinHash signature and band keys of an article body."""
    words = tokens(body)
    digest = hashlib.sha1(" ".join(words).encode()).hexdigest()
    signature = _minhash(_shingle_hashes(words)).astype("<u4").tobytes()
    band_bytes = 4 * ROWS_PER_BAND
    keys = tuple(
        int.from_bytes(
            hashlib.blake2b(signature[start : start + band_bytes], digest_size=8).digest(),
            "little",
            signed=True,
        )
        for start in range(0, len(signature), band_bytes)
    )
    return Fingerprint(digest, signature, keys)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


@dataclass(frozen=True)
class Duplicate:
    """One copy and the original it repeats."""

    article_id: str
    duplicate_of: str
    kind: str  # "exact" or "near"
    similarity: float


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _verified_pairs(
    con: duckdb.DuckDBPyConnection, threshold: float, scratch: Path | None
) -> Iterable[tuple[str, str]]:
    # Postings keyed by (band, band key), hashed to one 64-bit key: a collision can only
    # add a candidate, and every candidate is verified on its full signature below.
    con.execute(
        "CREATE OR REPLACE TABLE fp_postings AS "
        "SELECT hash(band, key) AS key, article_id AS i FROM fp_bands"
    )
    for _ in shared_key_pairs(
        con, "fp_postings", "candidates", scratch, having=f"count(*) >= {int(MIN_SHARED_BANDS)}"
    ):
        cursor = con.execute(
            """
            SELECT c.i, c.j, fa.digest = fb.digest AS exact, fa.signature, fb.signature
            FROM candidates c
            JOIN fingerprints fa ON fa.article_id = c.i
            JOIN fingerprints fb ON fb.article_id = c.j
            """
        )
        while rows := cursor.fetchmany(50_000):
            # Signatures compared a batch at a time (the candidates may be many millions).
            left = np.frombuffer(b"".join(r[3] for r in rows), "<u4").reshape(len(rows), -1)
            right = np.frombuffer(b"".join(r[4] for r in rows), "<u4").reshape(len(rows), -1)
            close = (left == right).mean(axis=1) >= threshold
            for (a, b, exact, _, _), near in zip(rows, close, strict=True):
                if exact or near:
                    yield a, b
    con.execute("DROP TABLE IF EXISTS candidates")
    con.execute("DROP TABLE fp_postings")


def find_duplicates(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float = NEAR_THRESHOLD,
    scratch: Path | None = None,
) -> list[Duplicate]:
    """Duplicates among the articles in the connection's ``fingerprints`` and ``fp_bands``.

    ``fingerprints`` has ``article_id, digest, signature, published_at``; ``fp_bands`` has
    ``article_id, band, key``. ``scratch`` is a directory for candidate pairs written in
    parts (a temporary one if not given). Returns one entry per copy (originals are not
    listed).
    """
    groups = _UnionFind()
    members: set[str] = set()
    for a, b in _verified_pairs(con, threshold, scratch):
        groups.union(a, b)
        members.update((a, b))
    if not members:
        return []
    ordered = sorted(members)
    create_table(
        con,
        "dup_members",
        pa.table(
            {"article_id": ordered, "grp": [groups.find(m) for m in ordered]},
            schema=pa.schema([("article_id", pa.string()), ("grp", pa.string())]),
        ),
    )
    rows = con.execute(
        """
        WITH ranked AS (
            SELECT m.article_id, m.grp, f.digest, f.signature,
                   row_number() OVER (PARTITION BY m.grp
                                      ORDER BY f.published_at ASC NULLS LAST, m.article_id) AS rank
            FROM dup_members m JOIN fingerprints f USING (article_id)
        )
        SELECT c.article_id, o.article_id, c.digest = o.digest, c.signature, o.signature
        FROM ranked c JOIN ranked o ON o.grp = c.grp AND o.rank = 1
        WHERE c.rank > 1
        ORDER BY c.article_id
        """
    ).fetchall()
    return [
        Duplicate(
            copy,
            original,
            "exact" if exact else "near",
            1.0 if exact else round(similarity(sa, sb), 3),
        )
        for copy, original, exact, sa, sb in rows
    ]
