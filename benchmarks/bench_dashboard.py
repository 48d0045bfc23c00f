"""Dashboard server time per page, on a given dataset, through Streamlit's AppTest.

    .venv/bin/python benchmarks/bench_dashboard.py /tmp/scaled-1m --json /tmp/bench-1m.json

For each page (overview, timeline, sources, entities, articles, data):

* **cold start**: a fresh Python process imports the app and runs the page once (what the
  first visitor of a new server process waits for); median of ``--cold-runs`` processes;
* **filter changes**: in one process, after the page's first run, a fixed list of URL
  filter combinations (outlet, date ranges, entity, type, free text, language: see
  :func:`combos`) is applied one by one, each a rerun of the page; p50 and p95 of the
  rerun times, and each combination's time (``by_filter`` in the JSON). ``st.cache_data``
  and the tables the dataset keeps for selections are cleared between repeats
  (``--runs``), so every repeat computes its answers as a first visit does; the dataset
  connection (``st.cache_resource``) stays, as it does in a server. Reported: the median
  over repeats;
* **payload**: the largest serialised Plotly figure (``spec`` JSON) and the largest
  dataframe (Arrow bytes) any of those runs sent to the browser;
* **peak RSS** of the page's process (``ru_maxrss``).

Server time is what AppTest measures around a script run, so it includes Streamlit's own
work but not the network or the browser. Figures depend on the machine: ``os.cpu_count()``
is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "timeline", "sources", "entities", "articles", "data")


#: Free-text words when the dataset has no text index to choose them by frequency.
FIXED_WORDS = ["روسيا", "الرئيس", "اتفاق"]
#: Shares of the articles the chosen words are nearest to: common, middling, rare.
WORD_SHARES = (0.5, 0.05, 0.005)


def _words(ds: Any) -> list[str]:
    """Three search words of known frequency in ``ds``: the articles a word selects
    (every article with a word *containing* it) nearest to :data:`WORD_SHARES` of all, so
    the free-text combinations measure a common, a middling and a rare word, not one the
    corpus happens not to have. Candidates are the index's words (letters only, five or
    more) whose own article count is nearest each share; the few nearest are searched and
    the closest kept. Fixed words without the index (``agg_text_index``)."""
    from rasd.filters import Filters

    if not ds.has_agg("agg_text_index"):
        return list(FIXED_WORDS)
    n = max(1, ds.count_articles(Filters()))
    counts = ds._df(
        "SELECT token, CAST(sum(n_articles) AS BIGINT) AS n FROM agg_text_index "
        "WHERE length(token) >= 5 AND regexp_full_match(token, '\\p{L}+') GROUP BY token"
    )
    words: list[str] = []
    for i, share in enumerate(WORD_SHARES):
        ranked = counts.assign(gap=(counts["n"] / n - share).abs()).sort_values(["gap", "token"])
        shortlist = [str(t) for t in ranked["token"] if str(t) not in words][:4]
        if not shortlist:
            words.append(FIXED_WORDS[i])
            continue
        found = {w: ds.count_articles(Filters(q=w)) / n for w in shortlist}
        words.append(min(shortlist, key=lambda w: (abs(found[w] - share), w)))
    return words


def combos(data: Path) -> list[dict[str, Any]]:
    """Realistic URL filters for ``data``: ≥ 20, every one different (no cache hits)."""
    sys.path.insert(0, str(ROOT))
    from rasd import query_entities
    from rasd.filters import Filters
    from rasd.query import Dataset

    ds = Dataset(data)
    outlets = [str(o) for o in ds.outlets()["outlet_id"]]
    lo, hi = ds.date_bounds()
    assert lo is not None and hi is not None
    entities = [str(e) for e in query_entities.top_entities(ds, Filters(), limit=5)["entity_id"]]
    types = ds.event_types()
    years = list(range(lo.year, hi.year + 1))
    words = _words(ds)

    def quarter(year: int, q: int) -> dict[str, str]:
        start = [1, 4, 7, 10][q]
        end = {1: "03-31", 4: "06-30", 7: "09-30", 10: "12-31"}[start]
        return {"from": f"{year}-{start:02d}-01", "to": f"{year}-{end}"}

    out: list[dict[str, Any]] = [
        {"outlet": outlets[0]},
        {"outlet": outlets[1 % len(outlets)]},
        {"outlet": [outlets[0], outlets[2 % len(outlets)]]},
        {"from": f"{years[-1]}-01-01"},
        {"to": f"{years[0]}-12-31"},
        {"from": f"{years[len(years) // 2]}-01-01", "to": f"{years[len(years) // 2]}-12-31"},
        {**quarter(years[-1], 0)},
        {**quarter(years[len(years) // 2], 2), "outlet": outlets[0]},
        {"from": f"{years[-1]}-06-01", "to": f"{years[-1]}-06-07"},
        {"entity": entities[0]},
        {"entity": entities[1 % len(entities)], "outlet": outlets[1 % len(outlets)]},
        {"entity": entities[2 % len(entities)], **quarter(years[-1], 1)},
        {"type": types[0]},
        {"type": types[1 % len(types)], **quarter(years[-2 if len(years) > 1 else 0], 3)},
        {"type": [types[0], types[2 % len(types)]], "outlet": outlets[0]},
        {"q": words[0]},
        {"q": words[1], "outlet": outlets[1 % len(outlets)]},
        {"q": words[2], **quarter(years[-1], 2)},
        {"lang": "en"},
        {"lang": "en", "outlet": outlets[2 % len(outlets)]},
        {"lang": "en", **quarter(years[0], 1)},
        {"outlet": outlets[3 % len(outlets)], "from": f"{years[1 % len(years)]}-03-01"},
        {"from": f"{years[0]}-01-01", "to": f"{years[-1]}-12-31"},
        # no filter: a URL with no known key would restore the previous view (as after a
        # page switch, components/filters.py), so the unfiltered view is asked for by language
        {"lang": "ar"},
    ]
    return out


def _payload(at: Any) -> tuple[int, int]:
    """(largest Plotly spec, largest dataframe) in bytes in the AppTest element tree."""
    charts = [len(e.proto.spec.encode("utf-8")) for e in at.get("plotly_chart")]
    frames = [len(e.proto.data) for e in at.get("arrow_data_frame")]
    frames += [len(e.proto.arrow_data.data) for e in at.dataframe]
    return max(charts, default=0), max(frames, default=0)


def _open(page: str, params: dict[str, Any]) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def _errors(at: Any) -> list[str]:
    return [str(e.value)[:200] for e in [*at.exception, *at.error]]


def worker_cold(page: str) -> dict[str, Any]:
    started = time.perf_counter()
    at = _open(page, {})
    seconds = time.perf_counter() - started
    chart, frame = _payload(at)
    return {
        "seconds": seconds,
        "chart_bytes": chart,
        "frame_bytes": frame,
        "errors": _errors(at),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_filters(page: str, filters: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    import streamlit as st

    at = _open(page, {})
    chart, frame = _payload(at)
    per_run: list[list[float]] = []
    errors: list[str] = []
    worst: list[tuple[float, dict[str, Any]]] = []
    from components.data import load_dataset

    for _ in range(runs):
        st.cache_data.clear()
        # and the tables the dataset kept for earlier selections (free text, entity, type):
        # each repeat times every filter change as first asked, not a selection a previous
        # repeat left kept (the connection and the files' cached metadata stay, as in a
        # server)
        loaded = load_dataset()
        assert hasattr(loaded, "dataset"), loaded
        loaded.dataset.forget_selections()
        times: list[float] = []
        for params in filters:
            for key in list(at.query_params):
                del at.query_params[key]
            for key, value in params.items():
                at.query_params[key] = value
            started = time.perf_counter()
            at.run()
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            worst.append((elapsed, params))
            c, f = _payload(at)
            chart, frame = max(chart, c), max(frame, f)
            errors += [f"{params}: {e}" for e in _errors(at)]
        per_run.append(times)
    worst.sort(key=lambda item: -item[0])
    return {
        "p50": statistics.median(statistics.median(t) for t in per_run),
        "p95": statistics.median(_p95(t) for t in per_run),
        "max": max(max(t) for t in per_run),
        "n": sum(len(t) for t in per_run),
        "slowest": [{"seconds": round(s, 3), "params": p} for s, p in worst[:3]],
        "by_filter": [
            {"seconds": round(statistics.median(t[i] for t in per_run), 3), "params": params}
            for i, params in enumerate(filters)
        ],
        "chart_bytes": chart,
        "frame_bytes": frame,
        "errors": errors[:5],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _spawn(data: Path, args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "RASD_DATA": str(data), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, __file__, str(data), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"worker {args} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="repeats of the filter list")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--combos", type=int, help="use only the first N filter combos")
    parser.add_argument("--worker", choices=["cold", "filters"], help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--filters", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "cold":
        print(json.dumps(worker_cold(args.page)))
        return 0
    if args.worker == "filters":
        filters = json.loads(Path(args.filters).read_text(encoding="utf-8"))
        print(json.dumps(worker_filters(args.page, filters, args.runs)))
        return 0

    data = args.data.resolve()
    filters = combos(data)[: args.combos]
    filters_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-filters-{os.getpid()}.json"
    filters_file.write_text(json.dumps(filters, ensure_ascii=False), encoding="utf-8")
    print(f"dataset {data}; cpu_count {os.cpu_count()}; {len(filters)} filter combos per page")
    results: dict[str, Any] = {"dataset": str(data), "cpu_count": os.cpu_count(), "pages": {}}
    for page in args.pages:
        cold = [_spawn(data, ["--worker", "cold", "--page", page]) for _ in range(args.cold_runs)]
        warm = _spawn(
            data,
            [
                "--worker", "filters", "--page", page, "--filters", str(filters_file),
                "--runs", str(args.runs),
            ],
        )  # fmt: skip
        row = {
            "cold_s": statistics.median(c["seconds"] for c in cold),
            "p50_s": warm["p50"],
            "p95_s": warm["p95"],
            "max_s": warm["max"],
            "interactions": warm["n"],
            "max_chart_bytes": max([warm["chart_bytes"], *(c["chart_bytes"] for c in cold)]),
            "max_frame_bytes": max([warm["frame_bytes"], *(c["frame_bytes"] for c in cold)]),
            "peak_rss_mb": max([warm["rss_mb"], *(c["rss_mb"] for c in cold)]),
            "slowest": warm["slowest"],
            "by_filter": warm["by_filter"],
            "errors": warm["errors"] + [e for c in cold for e in c["errors"]],
        }
        results["pages"][page] = row
        if args.json:  # after every page, so a long run leaves what it measured
            args.json.write_text(
                json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        print(
            f"{page:9} cold {row['cold_s']:6.2f} s  p50 {row['p50_s']:6.3f} s  "
            f"p95 {row['p95_s']:6.3f} s  chart {row['max_chart_bytes'] / 1e6:5.2f} MB  "
            f"frame {row['max_frame_bytes'] / 1e6:5.2f} MB  rss {row['peak_rss_mb']:6.0f} MB"
            + (f"  errors: {row['errors'][:2]}" if row["errors"] else ""),
            flush=True,
        )
    filters_file.unlink(missing_ok=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
