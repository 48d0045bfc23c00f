"""Build throughput and peak memory of ``rasd build`` on a synthetic corpus.

    .venv/bin/python benchmarks/bench_build.py --n 10000 [--runs 3] [--workers N]

Generates the corpus with make_corpus.py (cached under /tmp by size and seed), runs the
real CLI several times and prints the median records/s end to end and the peak memory of
the whole build: the resident set sizes of the CLI process and all its worker processes,
summed, sampled from /proc every 0.1 s. Figures only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASD = [sys.executable, "-m", "rasd.cli"]


def corpus(n: int, seed: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"rasd-corpus-{n}-{seed}"
    if not (path / ".done").exists():
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "make_corpus.py"),
                "--n",
                str(n),
                "--out",
                str(path),
                "--seed",
                str(seed),
            ],
            check=True,
        )
        (path / ".done").touch()
    return path


def tree_rss_mb(pid: int) -> float:
    """Summed VmRSS of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return total / 1024


def one_run(inputs: Path, out: Path, workers: int | None) -> dict[str, float]:
    command = [
        *RASD,
        "build",
        str(inputs),
        "--out",
        str(out),
        "--quiet",
        "--map",
        "published_at=date_extracted",
    ]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed: {process.stderr.read() if process.stderr else ''}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "rss_mb": peak,
        "read": manifest["counts"]["read"],
        **manifest["timings"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, default=None, help="build into this directory and keep the dataset"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    inputs = corpus(args.n, args.seed)
    runs = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            runs.append(one_run(inputs, args.keep or Path(tmp) / "ds", args.workers))
            print(
                f"run {i + 1}: {runs[-1]['read'] / runs[-1]['seconds']:.0f} records/s, "
                f"{runs[-1]['rss_mb']:.0f} MB peak RSS, stages { {k: v for k, v in runs[-1].items() if k.endswith('_s')} }"
            )
    seconds = statistics.median(r["seconds"] for r in runs)
    rss = max(r["rss_mb"] for r in runs)
    print(
        f"\nrecords={args.n} cores={os.cpu_count()} workers={args.workers or os.cpu_count()} runs={args.runs}"
    )
    print(
        f"median wall {seconds:.1f} s -> {args.n / seconds:.0f} records/s end to end; peak RSS {rss:.0f} MB"
    )
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) before {load_before:.1f}, after {load_after:.1f}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "records": args.n,
                    "cores": os.cpu_count(),
                    "workers": args.workers or os.cpu_count(),
                    "runs": runs,
                    "median_seconds": seconds,
                    "records_per_s": args.n / seconds,
                    "peak_rss_mb": rss,
                    "load_before": load_before,
                    "load_after": load_after,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
