"""Hosting files agree with each other: Community Cloud's requirements.txt and packages.txt,
the runtime lock, the development lock and the Dockerfile (which cannot be built here; see
scripts/rehearse_image.sh for the rehearsal of its steps)."""

from __future__ import annotations

import fnmatch
import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_TOOLS = {"pytest", "pytest-timeout", "hypothesis", "playwright", "ruff", "mypy", "pandas-stubs"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def _requirement_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _dockerfile() -> list[str]:
    """Instructions, continuation lines joined, comments dropped."""
    out, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not current and raw.lstrip().startswith("#"):
            continue
        if raw.rstrip().endswith("\\"):
            current += raw.rstrip()[:-1] + " "
            continue
        current += raw
        if current.strip():
            out.append(" ".join(current.split()))
        current = ""
    return out


def test_requirements_txt_is_the_runtime_lock() -> None:
    assert _requirement_lines(ROOT / "requirements.txt") == ["-r requirements-runtime.lock"]
    assert (ROOT / "requirements-runtime.lock").is_file()


def test_runtime_lock_pins_exactly_the_dev_locks_versions_without_dev_tools() -> None:
    runtime = _pins(ROOT / "requirements-runtime.lock")
    dev = _pins(ROOT / "requirements.lock")
    assert runtime, "the runtime lock pins nothing"
    assert not DEV_TOOLS & set(runtime), DEV_TOOLS & set(runtime)
    differing = {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v}
    assert not differing, f"runtime pins that differ from requirements.lock: {differing}"
    # Every line of it is a pin, an option-free comment or a blank: nothing unpinned.
    for line in _requirement_lines(ROOT / "requirements-runtime.lock"):
        assert PIN.match(line), line


def test_runtime_lock_covers_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _pins(ROOT / "requirements-runtime.lock")
    for requirement in project["dependencies"]:
        name = _norm(re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0])
        assert name in runtime, f"{name} (pyproject.toml) is not pinned in the runtime lock"


def test_packages_txt_lists_debian_packages_for_kaleido() -> None:
    lines = (ROOT / "packages.txt").read_text(encoding="utf-8").splitlines()
    packages = [line.strip() for line in lines if line.strip()]
    # Community Cloud hands each line to apt-get: package names only, no comments.
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", p) for p in packages), packages
    assert {"chromium", "fonts-noto-core"} <= set(packages)


def test_dockerfile_installs_the_runtime_lock_and_runs_unprivileged() -> None:
    instructions = _dockerfile()
    assert instructions[0] == "FROM python:3.11-slim"
    runs = [i for i in instructions if i.startswith("RUN ")]
    installs = [i for i in runs if "pip install" in i and " -r " in i]
    assert len(installs) == 1 and "-r requirements-runtime.lock" in installs[0], installs
    assert not any("requirements.lock" in i for i in instructions)
    assert "COPY requirements-runtime.lock ./" in instructions
    user = [i for i in instructions if i.startswith("USER ")]
    assert user and user[-1] not in ("USER root", "USER 0")
    assert any(re.search(r"useradd .*--uid 10001 rasd", i) for i in runs)
    health = [i for i in instructions if i.startswith("HEALTHCHECK ")]
    assert len(health) == 1 and "/_stcore/health" in health[0] and "b'ok'" in health[0]
    assert any("rasd.cli build data/raw --out data/processed" in i for i in runs)


def test_dockerfile_copies_only_what_the_build_context_keeps() -> None:
    ignore = [
        p.strip().rstrip("/")
        for p in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if p.strip() and not p.startswith("#")
    ]

    def ignored(rel: str) -> bool:
        parts = rel.split("/")
        return any(
            fnmatch.fnmatch(rel, p)
            or rel.startswith(p + "/")
            or (p.startswith("**/") and any(fnmatch.fnmatch(x, p[3:]) for x in parts))
            for p in ignore
        )

    copies = [shlex.split(i)[1:-1] for i in _dockerfile() if i.startswith("COPY ")]
    assert copies
    for sources in copies:
        for source in sources:
            matches = list(ROOT.glob(source))
            assert matches, f"COPY {source}: nothing in the repository"
            assert not any(ignored(m.relative_to(ROOT).as_posix()) for m in matches), source
    # Secrets and the developer's dataset never reach the build context.
    for path in (".streamlit/secrets.toml", "data/processed", ".venv", "tests"):
        assert ignored(path), path
