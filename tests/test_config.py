"""Settings from the environment; RASD_DATA cannot escape RASD_DATA_ROOT; the first start
builds the bundled corpus when RASD_DATA is unset and there is no dataset yet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import rasd.config
from components import data as app_data
from components.i18n import MESSAGES
from rasd.config import DEFAULT_DATA_DIR, Settings, escaping_path

ROOT = Path(__file__).resolve().parents[1]
ENV = ("RASD_DATA", "RASD_RAW", "RASD_GAZETTEER", "RASD_DATA_ROOT", "RASD_REQUIRE_LOGIN")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in ENV:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings.from_env()
    assert settings.data_dir == DEFAULT_DATA_DIR == ROOT / "data" / "processed"
    assert settings.raw_dir == ROOT / "data" / "raw"
    assert settings.data_root is None and settings.require_login is None
    assert settings.data_dir_is_default


def test_environment_overrides(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("RASD_DATA", f" {tmp_path / 'ds'} ")
    clean_env.setenv("RASD_DATA_ROOT", str(tmp_path))
    clean_env.setenv("RASD_REQUIRE_LOGIN", "yes")
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path / "ds" and settings.data_root == tmp_path
    assert not settings.data_dir_is_default and settings.require_login is True
    for value, expected in (("0", False), ("off", False), ("maybe", None), ("", None)):
        clean_env.setenv("RASD_REQUIRE_LOGIN", value)
        assert Settings.from_env().require_login is expected


# -- RASD_DATA_ROOT -------------------------------------------------------------------------


def test_a_directory_inside_the_root_is_accepted(tmp_path: Path, factory_dataset: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(factory_dataset, root / "processed")
    assert escaping_path(root / "processed", root) is None
    assert escaping_path(root, root) is None
    assert escaping_path(root / "not-built-yet", root) is None  # missing is not escaping


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlinked_dir", "symlinked_file"])
def test_paths_that_resolve_outside_the_root_are_caught(
    how: str, tmp_path: Path, factory_dataset: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    shutil.copytree(factory_dataset, outside)
    if how == "dotdot":
        data = root / ".." / "elsewhere"
    elif how == "absolute":
        data = outside
    elif how == "symlinked_dir":
        data = root / "processed"
        data.symlink_to(outside, target_is_directory=True)
    else:  # a dataset inside the root whose table is a symlink to a file outside it
        data = root / "processed"
        shutil.copytree(factory_dataset, data)
        (data / "articles.parquet").unlink()
        (data / "articles.parquet").symlink_to(outside / "articles.parquet")
    escaping = escaping_path(data, root)
    assert escaping is not None
    if how == "symlinked_file":
        assert escaping.name == "articles.parquet"


def test_the_root_itself_may_be_a_symlink(tmp_path: Path, factory_dataset: Path) -> None:
    real = tmp_path / "real"
    shutil.copytree(factory_dataset, real / "processed")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert escaping_path(link / "processed", link) is None
    assert escaping_path(real / "processed", link) is None


def _run(monkeypatch: pytest.MonkeyPatch, page: str = "overview") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["overview", "articles", "data"])
def test_the_app_refuses_a_dataset_outside_the_root(
    page: str, clean_env: pytest.MonkeyPatch, tmp_path: Path, factory_dataset: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "processed").symlink_to(factory_dataset, target_is_directory=True)
    clean_env.setenv("RASD_DATA", str(root / "processed"))
    clean_env.setenv("RASD_DATA_ROOT", str(root))
    at = _run(clean_env, page)
    (error,) = at.error
    assert MESSAGES["error_reason_outside_root"]["en"] in error.value
    assert "resolves outside RASD\\_DATA\\_ROOT" in error.value
    assert [c.value for c in at.main.code] == [
        f"rasd build data/raw --out {root / 'processed'}\nexport RASD_DATA={root / 'processed'}"
    ]
    assert not at.metric
    assert all("data-article-id" not in h.proto.body for h in at.get("html"))


def test_the_app_opens_a_dataset_inside_the_root(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, factory_dataset: Path
) -> None:
    root = tmp_path / "root"
    shutil.copytree(factory_dataset, root / "processed")
    clean_env.setenv("RASD_DATA", str(root / "processed"))
    clean_env.setenv("RASD_DATA_ROOT", str(root))
    at = _run(clean_env)
    assert not at.error and at.metric


# -- first start: build the bundled corpus --------------------------------------------------


def test_auto_build_only_for_the_default_path(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.setattr(rasd.config, "DEFAULT_DATA_DIR", tmp_path / "processed")
    assert app_data.needs_auto_build(Settings.from_env())
    clean_env.setenv("RASD_DATA", str(tmp_path / "processed"))  # an operator's choice
    assert not app_data.needs_auto_build(Settings.from_env())
    clean_env.delenv("RASD_DATA")
    clean_env.setenv("RASD_RAW", str(tmp_path / "no-corpus"))
    assert not app_data.needs_auto_build(Settings.from_env())


def test_first_start_builds_the_bundled_corpus_then_shows_it(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "data" / "processed"
    clean_env.setattr(rasd.config, "DEFAULT_DATA_DIR", target)
    app_data._build_state.clear()
    at = _run(clean_env)
    assert (target / "manifest.json").is_file()
    assert [s.label for s in at.get("status")] == [MESSAGES["autobuild_done"]["en"]]
    assert not at.error and at.metric  # the page shows the new dataset in the same run
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".processed.")] == [
        ".processed.build.lock"  # no temporary build directory is left behind
    ]
    # the next run finds the dataset and does not build again
    stamp = (target / "manifest.json").stat().st_mtime_ns
    at.run()
    assert (target / "manifest.json").stat().st_mtime_ns == stamp
    assert not at.get("status")


def test_a_failed_first_build_says_so_and_is_not_retried(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "data" / "processed"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "not-a-corpus.bin").write_bytes(b"\x00\x01")
    clean_env.setattr(rasd.config, "DEFAULT_DATA_DIR", target)
    clean_env.setenv("RASD_RAW", str(raw))
    calls: list[int] = []

    def failing(settings: Settings, status: object, lang: str) -> str:
        calls.append(1)
        return "rasd build exited 2: no articles"

    clean_env.setattr(app_data, "_run_build", failing)
    app_data._build_state.clear()
    at = _run(clean_env)
    assert any("rasd build exited 2" in c.value for c in at.main.code)
    (error,) = at.error  # then the usual missing-dataset page with the command
    assert MESSAGES["error_reason_missing_dir"]["en"] in error.value
    at.run()
    assert calls == [1]
    app_data._build_state.clear()
