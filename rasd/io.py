"""Every read and write of files happens here.

Readers turn input files into raw records (dicts plus a ``source_ref``) or into
:class:`Rejected` entries; the writer replaces an output directory atomically.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

#: File kinds ``rasd build`` reads, by suffix.
SUFFIXES = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
}
#: Sidecar files that carry metadata for ``.txt`` files in the same directory.
SIDECAR_NAMES = ("metadata.csv", "metadata.json")
# Files this large are not articles; reading them whole would exhaust memory.
MAX_TEXT_FILE_BYTES = 20_000_000
#: JSON Lines and CSV files larger than this are read a line at a time, JSON documents an
#: item at a time (UTF-8 only; other encodings are decoded whole, as smaller files are).
STREAM_BYTES = 8_000_000


@dataclass
class RawRecord:
    """One input record before cleaning: its fields and where it came from."""

    fields: dict[str, Any]
    source_ref: str
    kind: str


@dataclass
class Rejected:
    """An input record (or whole file) that could not become an article."""

    source_ref: str
    reason: str
    detail: str


@dataclass
class InputFile:
    """A file given to the build, with its hash for the manifest."""

    path: Path
    kind: str
    sha256: str = ""
    bytes: int = 0
    sidecar: dict[str, dict[str, str]] = field(default_factory=dict)


class InputError(Exception):
    """An unusable invocation (no such input, nothing readable)."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load_sidecar(directory: Path) -> dict[str, dict[str, str]]:
    for name in SIDECAR_NAMES:
        path = directory / name
        if not path.is_file():
            continue
        if name.endswith(".csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        else:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            rows = loaded if isinstance(loaded, list) else []
        return {
            str(row["file"]): {k: str(v) for k, v in row.items() if v not in (None, "")}
            for row in rows
            if isinstance(row, dict) and row.get("file")
        }
    return {}


def discover(inputs: list[Path]) -> tuple[list[InputFile], list[Rejected]]:
    """Expand files and directories into the input files to read, sorted for stable ids.

    Files with an unknown suffix inside a directory are recorded as rejected (so the
    manifest accounts for them); sidecars are metadata, not inputs.
    """
    files: list[InputFile] = []
    rejected: list[Rejected] = []
    for item in inputs:
        if not item.exists():
            raise InputError(f"input not found: {item}")
        candidates = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        sidecars: dict[Path, dict[str, dict[str, str]]] = {}
        for path in candidates:
            if path.name in SIDECAR_NAMES or path.name.startswith("."):
                continue
            kind = SUFFIXES.get(path.suffix.lower())
            if kind is None:
                rejected.append(
                    Rejected(str(path), "unsupported_file", f"'{path.suffix}' files are not read")
                )
                continue
            if path.parent not in sidecars:
                try:
                    sidecars[path.parent] = _load_sidecar(path.parent)
                except (OSError, ValueError, KeyError) as exc:
                    raise InputError(
                        f"cannot read metadata sidecar in {path.parent}: {exc}"
                    ) from exc
            files.append(
                InputFile(
                    path=path,
                    kind=kind,
                    sha256=sha256_file(path),
                    bytes=path.stat().st_size,
                    sidecar=sidecars[path.parent],
                )
            )
    return files, rejected


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else Windows-1256 Arabic."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # cp1256 decodes almost any byte string, so only accept it when the result is mostly
    # Arabic letters: otherwise the file is simply not text we understand.
    text = data.decode("cp1256", errors="strict")
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    letters = sum(1 for ch in text if ch.isalpha())
    if letters and arabic / letters > 0.6:
        return text
    raise UnicodeDecodeError("utf-8", data, 0, 1, "neither UTF-8 nor Arabic cp1256")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    # UTF-16 text is full of NUL bytes; its BOM says so.
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def read_records(file: InputFile) -> Iterator[RawRecord | Rejected]:
    """Yield the raw records of one input file, or Rejected entries for what is unusable."""
    path = file.path
    ref = str(path)
    try:
        if file.kind == "parquet":
            yield from _read_parquet(path)
            return
        if file.bytes > MAX_TEXT_FILE_BYTES and file.kind in ("txt", "html"):
            yield Rejected(ref, "too_large", f"{file.bytes} bytes is not one article")
            return
        if file.kind in _STREAMED and file.bytes > STREAM_BYTES and _is_utf8_stream(path):
            yield from _STREAMED[file.kind](path, ref)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(ref, "unreadable", f"cannot read file: {exc.strerror or exc}")
        return
    if not data.strip():
        yield Rejected(ref, "empty", "the file is empty")
        return
    if _looks_binary(data):
        yield Rejected(ref, "binary", "the file holds binary data, not text")
        return
    try:
        text = _decode(data)
    except (UnicodeDecodeError, UnicodeError):
        yield Rejected(ref, "not_decodable", "not valid UTF-8, UTF-16 or Arabic Windows-1256 text")
        return
    if file.kind == "txt":
        meta = file.sidecar.get(path.name, {})
        fields: dict[str, Any] = {"text": text, **{k: v for k, v in meta.items() if k != "file"}}
        yield RawRecord(fields, ref, "txt")
    elif file.kind == "html":
        yield RawRecord({"html": text}, ref, "html")
    elif file.kind == "jsonl":
        yield from _read_jsonl(text, ref)
    elif file.kind == "json":
        yield from _read_json(text, ref)
    elif file.kind == "csv":
        yield from _read_csv(text, ref)


def _is_utf8_stream(path: Path) -> bool:
    """Whether a large file can be read line by line as UTF-8: no UTF-16 BOM, not binary,
    and most whole lines of its first 64 kB are UTF-8 (a file in Windows-1256 is decoded
    whole; a stray bad line is quarantined alone)."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_binary(head):
        return False
    lines = [line for line in head.split(b"\n") if line.strip()]
    bad = 0
    for i, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            # the sample may end inside a character
            cut = i == len(lines) - 1 and exc.reason == "unexpected end of data"
            bad += not cut
    return bad * 2 < len(lines)


def _stream_jsonl(path: Path, ref: str) -> Iterator[RawRecord | Rejected]:
    """JSON Lines read a line at a time: memory stays flat however large the file.

    A line that is not UTF-8 is quarantined on its own; the rest of the file is read.
    """
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8").rstrip("\r\n")  # as splitlines() leaves it
            except UnicodeDecodeError:
                yield Rejected(f"{ref}#L{lineno}", "not_decodable", "line is not valid UTF-8")
                continue
            yield from _jsonl_line(line, f"{ref}#L{lineno}")


def _read_jsonl(text: str, ref: str) -> Iterator[RawRecord | Rejected]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        yield from _jsonl_line(line, f"{ref}#L{lineno}")


def _jsonl_line(line: str, line_ref: str) -> Iterator[RawRecord | Rejected]:
    if line.strip():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(
                line_ref, "malformed_json", f"line is not JSON: {exc.msg} (column {exc.colno})"
            )
            return
        if not isinstance(obj, dict):
            yield Rejected(
                line_ref, "malformed_json", f"line is a JSON {type(obj).__name__}, not an object"
            )
            return
        yield RawRecord(obj, line_ref, "jsonl")


#: Keys of a top-level JSON object whose list holds the articles, first found first.
_JSON_LIST_KEYS = ("articles", "data", "items", "records", "rows")


def _read_json(text: str, ref: str) -> Iterator[RawRecord | Rejected]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        # Many "JSON" exports are really JSON Lines.
        yield from _read_jsonl(text, ref)
        return
    if isinstance(obj, dict):
        for key in _JSON_LIST_KEYS:
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
        else:
            obj = [obj]
    if not isinstance(obj, list):
        yield Rejected(ref, "malformed_json", "top level is neither an object nor a list")
        return
    yield from _json_items(obj, ref)


def _json_items(items: Iterable[Any], ref: str) -> Iterator[RawRecord | Rejected]:
    for index, item in enumerate(items):
        item_ref = f"{ref}#{index}"
        if isinstance(item, dict):
            yield RawRecord(item, item_ref, "json")
        else:
            yield Rejected(
                item_ref, "malformed_json", f"item is a JSON {type(item).__name__}, not an object"
            )


def _stream_json(path: Path, ref: str) -> Iterator[RawRecord | Rejected]:
    """A JSON document read an item at a time, with the records a whole read gives: a
    first pass checks the document and finds where its list is (:data:`_JSON_LIST_KEYS`),
    a second yields the list's items. Not one JSON document: read as JSON Lines, a line at
    a time. An object holding no list is one record, read whole if it is not too large."""
    import ijson  # only large JSON documents need it

    with path.open("rb") as handle:
        skip = 3 if handle.read(3) == b"\xef\xbb\xbf" else 0
    list_keys: set[str] = set()
    top = ""
    try:
        with path.open("rb") as handle:
            handle.seek(skip)
            pending = None  # the top-level key whose value comes next
            for prefix, event, value in ijson.parse(handle):
                if not top:
                    top = event
                if prefix == "" and event == "map_key":
                    pending = value
                elif pending is not None and prefix == pending:
                    if event == "start_array":
                        list_keys.add(pending)
                    pending = None
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError):
        yield from _stream_jsonl(path, ref)  # as json.loads failing sends a whole read there
        return
    if top == "start_map":
        key = next((k for k in _JSON_LIST_KEYS if k in list_keys), None)
        if key is None:
            if path.stat().st_size > MAX_TEXT_FILE_BYTES:
                yield Rejected(ref, "too_large", "one JSON object this large is not one article")
            else:
                yield from _read_json(_decode(path.read_bytes()), ref)
            return
        items_prefix = f"{key}.item"
    elif top == "start_array":
        items_prefix = "item"
    else:
        yield Rejected(ref, "malformed_json", "top level is neither an object nor a list")
        return
    with path.open("rb") as handle:
        handle.seek(skip)
        yield from _json_items(ijson.items(handle, items_prefix, use_float=True), ref)


def _read_csv(text: str, ref: str) -> Iterator[RawRecord | Rejected]:
    # Rows end at line breaks only (as csv reads a file opened with newline=""): a U+2028
    # or form feed inside an article's text does not end its row.
    yield from _csv_rows(StringIO(text, newline=""), ref)


def _stream_csv(path: Path, ref: str) -> Iterator[RawRecord | Rejected]:
    """CSV read a row at a time: memory stays flat however large the file.

    Lines are decoded one by one. A cell in quotes may hold line breaks, so after a line
    that is not UTF-8 the rows cannot be told apart: that line and the rest of the file are
    quarantined as one entry, and the rows before it are kept."""
    bad_line: list[int] = []

    def lines() -> Iterator[str]:
        with path.open("rb") as handle:
            for lineno, raw in enumerate(handle, start=1):
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    bad_line.append(lineno)
                    return
                yield from StringIO(line, newline="")  # a bare CR ends a line, as whole

    yield from _csv_rows(lines(), ref)
    if bad_line:
        yield Rejected(
            f"{ref}#L{bad_line[0]}",
            "not_decodable",
            f"line {bad_line[0]} is not valid UTF-8; it and the rest of the file were not read",
        )


def _csv_rows(lines: Iterable[str], ref: str) -> Iterator[RawRecord | Rejected]:
    csv.field_size_limit(MAX_TEXT_FILE_BYTES)
    try:
        reader = csv.DictReader(lines)
        for row_no, row in enumerate(reader, start=1):
            row_ref = f"{ref}#row={row_no}"
            if None in row:  # more cells than header columns
                yield Rejected(row_ref, "malformed_row", "row has more cells than the header")
                continue
            yield RawRecord({k: v for k, v in row.items() if k}, row_ref, "csv")
    except csv.Error as exc:
        yield Rejected(ref, "malformed_csv", f"CSV cannot be parsed: {exc}")


#: Readers of large UTF-8 files of each kind, a record at a time.
_STREAMED: dict[str, Callable[[Path, str], Iterator[RawRecord | Rejected]]] = {
    "jsonl": _stream_jsonl,
    "json": _stream_json,
    "csv": _stream_csv,
}


def _read_parquet(path: Path) -> Iterator[RawRecord | Rejected]:
    ref = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        yield Rejected(ref, "unreadable", f"not a readable Parquet file: {exc}")
        return
    row_no = 0
    for batch in parquet.iter_batches(batch_size=2048):
        for row in batch.to_pylist():
            row_no += 1
            yield RawRecord(row, f"{ref}#row={row_no}", "parquet")


# -- writing ------------------------------------------------------------------------------


def write_manifest(directory: Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest.json`` into ``directory``."""
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )


def replace_dir(src: Path, dst: Path) -> None:
    """Put the complete directory ``src`` in place of ``dst`` (a sibling), atomically.

    Files are flushed to disk first. POSIX renames one directory atomically but cannot swap
    two, so the old ``dst`` is first renamed aside and restored if the second rename fails:
    at every moment either the old or the new dataset is complete.
    """
    for child in src.rglob("*"):
        if child.is_file():
            with child.open("rb") as handle:
                os.fsync(handle.fileno())
    old: Path | None = None
    if dst.exists():
        old = dst.parent / f".{dst.name}.old-{os.getpid()}"
        os.replace(dst, old)
    try:
        os.replace(src, dst)
    except BaseException:
        if old is not None:
            os.replace(old, dst)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_dataset(
    out_dir: Path, tables: Mapping[str, pa.Table], manifest: Mapping[str, Any]
) -> None:
    """Write whole tables and a manifest to ``out_dir``, replacing it atomically."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
        write_manifest(tmp, manifest)
        replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_writable(out_dir: Path) -> str | None:
    """Why ``out_dir`` cannot be written, or None when it can."""
    parent = out_dir.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is not a directory"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"no permission to write in {probe}"
    if out_dir.exists() and not out_dir.is_dir():
        return f"{out_dir} exists and is not a directory"
    return None
