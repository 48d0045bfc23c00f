"""Command line: ``rasd build`` and ``rasd dates``.

Errors a user can cause get one line naming the fix and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rasd.ingest import FIELDS

EXIT_USAGE = 2
EXIT_FAILED = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"rasd: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise ValueError(f"--map needs FIELD=COLUMN, got {item!r}")
        if field not in FIELDS:
            raise ValueError(f"--map field must be one of {', '.join(FIELDS)}, got {field!r}")
        mapping[field] = column
    return mapping


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rasd", description="Rasd: Arabic news analytics")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = sub.add_parser("build", help="build a dataset from articles")
    build.add_argument("inputs", nargs="*", type=Path, help="files or directories of articles")
    build.add_argument("--out", type=Path, required=True, help="dataset directory to write")
    build.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"read FIELD ({', '.join(FIELDS)}) from COLUMN; repeatable",
    )
    build.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    build.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    build.add_argument(
        "--incremental",
        action="store_true",
        help="add only inputs the dataset in --out has not seen",
    )
    build.add_argument(
        "--engine", choices=["local", "dask"], default="local", help="where stages run"
    )
    build.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)"
    )
    _add_dates_parser(sub)
    return parser


def _add_dates_parser(sub: Any) -> None:
    dates = sub.add_parser("dates", help="print the date expressions found in text files")
    dates.add_argument("files", nargs="+", type=Path, help="UTF-8 text files")
    dates.add_argument(
        "--dct",
        metavar="YYYY-MM-DD",
        help="document creation date; relative dates (أمس، الأسبوع الماضي) resolve against it",
    )


def _cmd_dates(args: argparse.Namespace) -> int:
    """One JSON object per date expression per line; offsets are into the file's text."""
    from datetime import date

    dct = None
    if args.dct:
        try:
            dct = date.fromisoformat(args.dct)
        except ValueError:
            print(
                f"rasd dates: --dct must be a date like 2024-06-19, got {args.dct!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    try:
        return _print_dates(args.files, dct)
    except BrokenPipeError:
        # The reader (head, less) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _print_dates(files: list[Path], dct: Any) -> int:
    from rasd.dates import tag_dates

    status = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            print(
                f"rasd dates: {path}: not UTF-8 text (convert it: iconv -t UTF-8)", file=sys.stderr
            )
            status = EXIT_FAILED
            continue
        except OSError as exc:
            print(f"rasd dates: {path}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        for expr in tag_dates(text, dct=dct):
            record = {
                "file": str(path),
                "start": expr.start,
                "end": expr.end,
                "text": expr.text,
                "value": expr.value,
                "precision": expr.precision,
                "basis": expr.basis,
                "end_value": expr.end_value,
            }
            print(json.dumps(record, ensure_ascii=False))
    sys.stdout.flush()
    return status


def _cmd_build(args: argparse.Namespace) -> int:
    import duckdb

    from rasd import io
    from rasd.build import build, default_progress

    if not args.inputs:
        print(
            "rasd build: no inputs given (try: rasd build data/raw --out data/processed)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        mapping = _parse_map(args.map)
    except ValueError as exc:
        print(f"rasd build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("rasd build: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    problem = io.check_writable(args.out)
    if problem:
        print(f"rasd build: cannot write {args.out}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = build(
            args.inputs,
            args.out,
            mapping=mapping,
            workers=args.workers,
            progress=default_progress(args.quiet),
            incremental=args.incremental,
            engine=args.engine,
            scheduler=args.scheduler,
        )
    except io.InputError as exc:
        print(f"rasd build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (TimeoutError, ConnectionError) as exc:
        print(
            f"rasd build: cannot reach the Dask scheduler {args.scheduler}: {exc}", file=sys.stderr
        )
        return EXIT_FAILED
    except OSError as exc:
        print(
            f"rasd build: failed writing {args.out}: {exc.strerror or exc}; "
            "the previous dataset is unchanged",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except duckdb.OutOfMemoryException as exc:
        print(
            f"rasd build: the corpus-wide pass ran out of memory "
            f"({str(exc).splitlines()[0]}); the previous dataset is unchanged. "
            "Please report it with the input's size: the build is meant to stay within "
            "its memory limit at any size.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if not args.quiet:
        c = report.counts
        print(
            f"rasd build: {c['read']} records read → {c['kept']} kept, {c['duplicates']} "
            f"duplicates, {c['quarantined']} quarantined "
            f"{json.dumps(c['quarantined_by_reason'], ensure_ascii=False)} → {args.out} "
            f"({report.timings['total_s']:.2f} s)",
            file=sys.stderr,
        )
        if c["article_rows"] and _dated_articles(Path(args.out)) == 0:
            print(
                "rasd build: warning: no article has a publication date. If the input has "
                "one under a name the build does not recognise, name it with "
                "--map published_at=FIELD (see --help for the names it recognises).",
                file=sys.stderr,
            )
    return 0


def _dated_articles(out: Path) -> int:
    """How many articles of the dataset in ``out`` have a publication date."""
    import pyarrow.parquet as pq

    column = pq.read_table(out / "articles.parquet", columns=["published_at"]).column(0)
    return int(len(column) - column.null_count)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rasd`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _cmd_build(args)
        if args.command == "dates":
            return _cmd_dates(args)
    except KeyboardInterrupt:
        print("rasd: interrupted; the previous dataset is unchanged", file=sys.stderr)
        return 130
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
