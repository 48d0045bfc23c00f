"""Duplicate detection: exact, near, and distinct stories kept apart."""

from __future__ import annotations

from pathlib import Path

from rasd.dedup import DuplicateIndex

GOLDEN = Path(__file__).resolve().parent / "golden" / "clean"
A = (GOLDEN / "001_d4c75918ac5c958f.txt").read_text(encoding="utf-8")
B = (GOLDEN / "004_d99eb047aeee1334.txt").read_text(encoding="utf-8")


def test_exact_copy_after_normalisation() -> None:
    index = DuplicateIndex()
    assert index.check("a", A) is None
    match = index.check("b", A.replace("أ", "ا") + "  ")
    assert match is not None and (match.original_id, match.kind) == ("a", "exact")


def test_near_copy_with_edited_sentence() -> None:
    index = DuplicateIndex()
    index.check("a", A)
    edited = A.replace("اليوم الأربعاء", "يوم الأربعاء", 1).rsplit("\n", 1)[0]
    match = index.check("b", edited)
    assert match is not None and match.kind == "near" and match.similarity >= 0.8


def test_same_topic_different_story_is_not_a_duplicate() -> None:
    index = DuplicateIndex()
    assert index.check("a", A) is None
    assert index.check("b", B) is None


def test_copy_of_a_copy_points_to_the_first_original() -> None:
    index = DuplicateIndex()
    index.check("a", A)
    index.check("b", A + "\nسطر إضافي")
    match = index.check("c", A + "\nسطر إضافي آخر")
    assert match is not None and match.original_id == "a"
