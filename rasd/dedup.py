"""Exact and near-duplicate detection over normalised article text.

Exact copies share a hash of their normalised body. Near copies (syndicated wire stories
with a changed intro, a trimmed tail) are found with MinHash over word shingles and
locality-sensitive hashing, so the cost grows with the corpus, not with its square.
The first copy seen is the original; later copies point to it with ``duplicate_of``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from rasd.normalize import tokens

#: Shingle length in words. Why 5: long enough that shared phrases of common news language
#: ("قال الرئيس الروسي") do not make unrelated stories look alike.
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity above which two articles are the same text. Why 0.8: wire
#: copies with a rewritten first sentence or a trimmed last paragraph stay above it.
NEAR_THRESHOLD = 0.8
NUM_PERM = 128


@dataclass(frozen=True)
class DuplicateMatch:
    """What an article duplicates, and how closely."""

    original_id: str
    kind: str  # "exact" or "near"
    similarity: float


def _shingles(words: list[str]) -> set[bytes]:
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


class DuplicateIndex:
    """Incremental index: ``check`` an article, then it becomes a possible original."""

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        self._exact: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._hashes: dict[str, MinHash] = {}

    def check(self, article_id: str, body: str) -> DuplicateMatch | None:
        """Return what ``body`` duplicates (if anything) and index it as ``article_id``."""
        words = tokens(body)
        digest = hashlib.sha1(" ".join(words).encode()).hexdigest()
        if digest in self._exact:
            return DuplicateMatch(self._exact[digest], "exact", 1.0)
        self._exact[digest] = article_id
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch(list(_shingles(words)))
        best: DuplicateMatch | None = None
        for candidate in self._lsh.query(minhash):
            similarity = float(minhash.jaccard(self._hashes[candidate]))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = DuplicateMatch(candidate, "near", round(similarity, 3))
        if best is None:
            # Only originals are indexed: a copy of a copy points at the first original.
            self._lsh.insert(article_id, minhash)
            self._hashes[article_id] = minhash
        return best
