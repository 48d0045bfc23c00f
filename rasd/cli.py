"""Command line: ``rasd build`` (and later ``rasd dates``).

Errors a user can cause get one line naming the fix and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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
        "--incremental", action="store_true", help="add only inputs the dataset in --out has not seen"
    )
    build.add_argument("--engine", choices=["local", "dask"], default="local", help="where stages run")
    build.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    return parser


def _cmd_build(args: argparse.Namespace) -> int:
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
        print(f"rasd build: cannot reach the Dask scheduler {args.scheduler}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(
            f"rasd build: failed writing {args.out}: {exc.strerror or exc}; "
            "the previous dataset is unchanged",
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
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rasd`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _cmd_build(args)
    except KeyboardInterrupt:
        print("rasd: interrupted; the previous dataset is unchanged", file=sys.stderr)
        return 130
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
