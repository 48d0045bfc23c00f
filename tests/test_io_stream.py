"""Large JSON Lines files are read a line at a time, with the same records as a whole read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd import io


def _records(path: Path) -> list[tuple[str, str, Any]]:
    files, rejects = io.discover([path])
    assert not rejects
    out: list[tuple[str, str, Any]] = []
    for item in io.read_records(files[0]):
        if isinstance(item, io.Rejected):
            out.append(("rejected", item.source_ref, (item.reason, item.detail)))
        else:
            out.append(("record", item.source_ref, item.fields))
    return out


def test_streamed_jsonl_equals_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        json.dumps({"content": f"خبر رقم {i}", "source": "منفذ"}, ensure_ascii=False)
        for i in range(50)
    ]
    lines[7] = '{"broken": '
    lines[8] = '{"content": "unterminated'
    lines[9] = "[1, 2]"
    lines[12] = ""
    path = tmp_path / "corpus.jsonl"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    whole = _records(path)
    monkeypatch.setattr(io, "STREAM_BYTES", 100)
    streamed = _records(path)
    assert streamed == whole
    assert [r[2][0] for r in whole if r[0] == "rejected"] == ["malformed_json"] * 3
    assert sum(1 for r in whole if r[0] == "record") == 46


def test_a_bad_line_in_a_streamed_file_is_quarantined_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = json.dumps({"content": "نص عربي"}, ensure_ascii=False).encode()
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(good + b"\n" + b'{"content": "\xff\xfe bad"}\n' + good + b"\n")
    monkeypatch.setattr(io, "STREAM_BYTES", 10)
    records = _records(path)
    assert [r[0] for r in records] == ["record", "rejected", "record"]
    assert records[1][1].endswith("#L2") and records[1][2][0] == "not_decodable"


def _csv(rows: list[list[str]]) -> str:
    import csv
    from io import StringIO

    out = StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_streamed_csv_equals_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["source", "title", "content"]]
    rows += [["منفذ", f"عنوان {i}", f"خبر رقم {i}"] for i in range(40)]
    rows[3][2] = "سطر أول\nسطر ثان في خلية بين علامتي تنصيص"
    rows[5][2] = "نص فيه فاصل\u2028سطر وفاصل صفحة\x0c لا ينهيان الصف"
    text = _csv(rows) + "منفذ,عنوان زائد,نص,خلية زائدة\r\n"
    path = tmp_path / "corpus.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")
    whole = _records(path)
    monkeypatch.setattr(io, "STREAM_BYTES", 100)
    streamed = _records(path)
    assert streamed == whole
    kept = [r[2] for r in whole if r[0] == "record"]
    assert len(kept) == 40 and kept[2]["content"] == rows[3][2] and kept[4]["content"] == rows[5][2]
    assert whole[-1][0] == "rejected" and whole[-1][2][0] == "malformed_row"


def test_a_streamed_csv_keeps_the_rows_before_a_line_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _csv([["content"], ["نص عربي أول"], ["نص عربي ثان"]]).encode()
    path = tmp_path / "corpus.csv"
    path.write_bytes(good + b"\xff\xfe bad\r\n" + _csv([["نص بعده"]]).encode())
    monkeypatch.setattr(io, "STREAM_BYTES", 10)
    records = _records(path)
    assert [r[0] for r in records] == ["record", "record", "rejected"]
    assert records[2][1].endswith("#L4") and records[2][2][0] == "not_decodable"


def test_a_large_windows_1256_csv_is_decoded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "corpus.csv"
    path.write_bytes(_csv([["content"], ["نص عربي أول"], ["نص عربي ثان"]]).encode("cp1256"))
    monkeypatch.setattr(io, "STREAM_BYTES", 10)
    records = _records(path)
    assert [r[2] for r in records] == [{"content": "نص عربي أول"}, {"content": "نص عربي ثان"}]


@pytest.mark.parametrize(
    "document",
    [
        # a list, pretty-printed, with an item that is not an object
        '[\n  {"content": "خبر أول", "n": 1.5},\n  7,\n  {"content": "خبر ثان", "n": 2}\n]',
        # the articles under a key, beside other keys; the first listed key wins
        '{"meta": {"rows": 2}, "rows": [{"content": "صف"}], "data": [{"content": "بيان"}]}',
        # JSON Lines saved as .json
        '{"content": "سطر أول"}\n{"content": "سطر ثان"}\nnot json\n',
        # one object holding no list: one article
        '{"content": "مقال واحد", "tags": {"a": 1}}',
        # a broken document is read as lines, as json.loads failing sends it there
        '[\n{"content": "قبل الخطأ"},\n{"content": oops}\n]',
    ],
    ids=["list", "keyed", "lines", "one", "broken"],
)
def test_streamed_json_equals_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: str
) -> None:
    path = tmp_path / "corpus.json"
    path.write_text("\ufeff" + document, encoding="utf-8")
    whole = _records(path)
    monkeypatch.setattr(io, "STREAM_BYTES", 10)
    streamed: list[Path] = []
    stream = io._STREAMED["json"]

    def spy(path: Path, ref: str) -> Any:
        streamed.append(path)
        return stream(path, ref)

    monkeypatch.setitem(io._STREAMED, "json", spy)
    assert _records(path) == whole
    assert whole and streamed == [path]
