"""Query layer over the seed dataset: filters, precision-aware dates, broken datasets."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hyp

from rasd.build import build
from rasd.filters import Filters
from rasd.query import DatasetError, open_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("q") / "ds"
    build([ROOT / "data" / "raw"], out, workers=1)
    return out


def test_outlets_and_headline(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    assert len(ds.outlets()) == 5
    head = ds.headline(Filters())
    assert (head["articles"], head["outlets"], head["undated"], head["copies"]) == (5, 5, 4, 0)
    assert head["first"] == head["last"] == date(2024, 6, 19)


def test_outlet_filter(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    frame = ds.articles(Filters(outlets=("nysn",)))
    assert frame["outlet_id"].tolist() == ["nysn"]


def test_search_ignores_hamza_and_tashkeel(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    assert ds.count_articles(Filters(q="انترفاكس")) == 2
    assert ds.count_articles(Filters(q="إنترفاكس")) == 2
    assert ds.count_articles(Filters(q="كورسك")) == 1


def test_date_range_excludes_undated_and_reports_them(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    f = Filters(date_from=date(2024, 6, 1), date_to=date(2024, 6, 30))
    assert ds.count_articles(f) == 1
    assert ds.undated_excluded(f) == 4
    assert ds.count_articles(Filters(date_from=date(2024, 6, 20))) == 0


def test_counts_by_period(seed_dir: Path) -> None:
    frame = open_dataset(seed_dir).counts_by_outlet_period(Filters(), period="month")
    assert frame[["outlet_id", "n"]].values.tolist() == [["nysn", 1]]


def test_article_detail(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    art_id = ds.articles(Filters(outlets=("nysn",)))["article_id"].iat[0]
    record = ds.article(art_id)
    assert record is not None and record["published_basis"] == "explicit"
    assert "text_norm" not in record and record["text"].startswith("قال الرئيس")
    assert ds.article("nope") is None


def test_missing_corrupt_and_old_datasets_say_how_to_fix(seed_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as missing:
        open_dataset(tmp_path / "none")
    assert missing.value.fix.startswith("rasd build")
    broken = tmp_path / "broken"
    shutil.copytree(seed_dir, broken)
    (broken / "articles.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(DatasetError) as corrupt:
        open_dataset(broken)
    assert corrupt.value.reason == "unreadable_table"
    manifest = json.loads((seed_dir / "manifest.json").read_text())
    (broken / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    with pytest.raises(DatasetError) as old:
        open_dataset(broken)
    assert old.value.reason == "schema_version"
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(DatasetError) as bad:
        open_dataset(broken)
    assert bad.value.reason == "bad_manifest"


def test_dates_do_not_depend_on_the_server_time_zone(
    seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: 2024-06-19 14:49 UTC is the 20th there
    time.tzset()
    try:
        ds = open_dataset(seed_dir)
        assert ds.date_bounds() == (date(2024, 6, 19), date(2024, 6, 19))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


_PRECISIONS = ("minute", "day", "month", "year")


def _period_end(day: date, precision: str) -> date:
    if precision == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - timedelta(days=1)
    if precision == "year":
        return date(day.year, 12, 31)
    return day


#: Days around the edges a range can cut at: month and year ends, a leap day.
_EDGES = [date(2019, 12, 31) + timedelta(days=k) for k in (0, 1, 30, 31, 59, 60, 61, 365, 366)]
_days = hyp.sampled_from(_EDGES).flatmap(
    lambda d: hyp.sampled_from([d - timedelta(days=1), d, d + timedelta(days=1)])
)
_times = hyp.sampled_from(
    [
        timedelta(0),
        timedelta(microseconds=1),
        timedelta(hours=12),
        timedelta(days=1, microseconds=-1),
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=hyp.lists(
        hyp.tuples(
            hyp.one_of(
                hyp.none(),
                hyp.builds(
                    lambda d, t: datetime(d.year, d.month, d.day, tzinfo=UTC) + t, _days, _times
                ),
            ),
            hyp.sampled_from(_PRECISIONS),
        ),
        min_size=1,
        max_size=40,
    ),
    start=hyp.one_of(hyp.none(), _days),
    end=hyp.one_of(hyp.none(), _days),
)
@example(rows=[(datetime(2020, 1, 1, tzinfo=UTC), "day")], start=None, end=date(2019, 12, 31))
@example(rows=[(datetime(2019, 12, 31, 23, tzinfo=UTC), "year")], start=date(2019, 3, 1), end=None)
def test_a_date_range_keeps_the_dates_whose_period_meets_it(
    seed_dir: Path,
    rows: list[tuple[datetime | None, str]],
    start: date | None,
    end: date | None,
) -> None:
    """The date range's condition (on the time itself, which row groups prune) keeps an
    article when its period (its day, month or year in UTC) ends on or after the start
    and its day is on or before the end, as the definition says; around midnight UTC,
    month ends and year ends too."""
    ds = open_dataset(seed_dir)
    where = ds.where(Filters(date_from=start, date_to=end))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE articles (i INTEGER, published_at TIMESTAMPTZ, published_precision "
        "VARCHAR, duplicate_of VARCHAR, outlet_id VARCHAR, file_row_number BIGINT)"
    )
    con.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, NULL, 'o', ?)",
        [[i, at, precision, i] for i, (at, precision) in enumerate(rows)],
    )
    got = {
        i
        for (i,) in con.execute(
            f"SELECT i FROM articles WHERE {where.sql}", where.params
        ).fetchall()
    }
    expected = (
        {
            i
            for i, (at, precision) in enumerate(rows)
            if at is not None
            and (start is None or _period_end(at.date(), precision) >= start)
            and (end is None or at.date() <= end)
        }
        if (start or end)
        else set(range(len(rows)))
    )
    assert got == expected


def test_a_date_range_to_the_last_day_there_is(seed_dir: Path) -> None:
    ds = open_dataset(seed_dir)
    assert (
        ds.count_articles(Filters(date_to=date.max))
        == ds.count_articles(Filters(date_from=date(1, 1, 1)))
        > 0
    )
