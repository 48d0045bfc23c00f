#!/usr/bin/env bash
# Rehearse the container image without Docker: replay the Dockerfile's steps on this host.
#
#   scripts/rehearse_image.sh [--port N] [--no-browser] [--keep]
#
# A rehearsal, not a container build: it reads ./Dockerfile and, in a fresh temporary
# directory ROOT,
#   1. COPY      copies what the Dockerfile COPYs (honouring .dockerignore) into ROOT/app
#                (the image's /app); files stay owned by root, as in the image;
#   2. apt-get   is NOT run: it checks that this host has what it would install (chromium,
#                fontconfig) and that fontconfig finds Noto Naskh Arabic;
#   3. deps      makes a fresh venv (uv, Python 3.11) from the lock the Dockerfile installs
#                (requirements-runtime.lock) and checks no dev tool came with it;
#   4. RUN       runs the Dockerfile's other RUN lines (data build, compileall) as root in
#                ROOT/app, with the Dockerfile's ENV ("/app" -> ROOT/app, "/tmp" -> ROOT/tmp);
#   5. USER      starts the Dockerfile's CMD as the image's uid (10001, via setpriv: no
#                account is created on this host) with only the image's environment, in a
#                private mount namespace where ROOT/app is a read-only bind mount (as with
#                `docker run --read-only`); HOME is a directory that user cannot write and
#                TMPDIR a writable ROOT/tmp (the --tmpfs /tmp); it listens on 127.0.0.1 only;
#   6. checks    polls /_stcore/health until "ok" (timed), runs the Dockerfile's HEALTHCHECK
#                command as that user, fetches the main page, checks the user can write
#                neither the app nor HOME, renders a chart PNG with Kaleido as that user, and
#                (unless --no-browser) opens every page in headless Chromium through this
#                repository's dev venv (Playwright): no exception, no failed request, no
#                request to another host.
# What it cannot rehearse: the base image (python:3.11-slim, Debian's packages of the day),
# the system-wide font install, the passwd entry `rasd`, Docker's network, seccomp and
# cgroup limits. Exit status 0 when every check passed; ROOT is removed unless --keep.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=""
BROWSER=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --no-browser) BROWSER=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

die() { echo "rehearse_image: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (to drop to the image's uid and mount the app read-only)"
command -v setpriv >/dev/null || die "needs setpriv (util-linux)"
command -v curl >/dev/null || die "needs curl"
UV=${UV:-$REPO/.venv/bin/uv}
[ -x "$UV" ] || UV=$(command -v uv) || die "needs uv (make run installs it into .venv)"
# The image's interpreter is 3.11; the server user must be able to run it (a pyenv build
# under /root is not reachable by uid 10001).
PY311=${PY311:-}
for candidate in $PY311 /usr/bin/python3.11 /usr/local/bin/python3.11; do
  if [ -x "$candidate" ]; then PY311=$candidate; break; fi
done
[ -n "$PY311" ] || die "needs a system python3.11 (set PY311=...)"

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/rasd-rehearsal.XXXXXX")
chmod 755 "$ROOT"
APP=$ROOT/app
SCRATCH=$ROOT/tmp           # the container's --tmpfs /tmp
HOME_RO=$ROOT/home          # HOME the server user cannot write (the --read-only root)
VENV=$ROOT/venv             # the image's /usr/local site-packages
LOG=$ROOT/server.log
mkdir -p "$APP" "$SCRATCH" "$HOME_RO"
chmod 1777 "$SCRATCH"
chmod 755 "$HOME_RO"
SERVER_PID=""
LAUNCHER=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$LAUNCHER" ]; then wait "$LAUNCHER" 2>/dev/null || true; fi
  if [ "$KEEP" = 1 ]; then echo "kept: $ROOT"; else rm -rf "$ROOT"; fi
}
trap cleanup EXIT

RESULTS=()
FAILED=0
now() { date +%s.%N; }
record() {  # record STATUS NAME SECONDS DETAIL
  RESULTS+=("$(printf '%-4s  %-44s %7s  %s' "$1" "$2" "$3" "$4")")
  [ "$1" = ok ] || [ "$1" = skip ] || FAILED=1
  printf '%-4s  %-44s %7s  %s\n' "$1" "$2" "$3" "$4"
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# -- 0. read the Dockerfile; 1. COPY ------------------------------------------------------------
PLAN=$ROOT/plan.tsv
t0=$(now)
"$PY311" - "$REPO" "$ROOT" "$APP" "$SCRATCH" >"$PLAN" <<'PY'
"""Interpret ./Dockerfile: do its COPYs into ROOT/app and print the rest as a plan (TSV)."""
import fnmatch, glob, json, os, re, shlex, shutil, sys
from pathlib import Path

repo, root, app, scratch = map(Path, sys.argv[1:5])
text = (repo / "Dockerfile").read_text(encoding="utf-8")
# Join continuation lines; drop comments.
lines, current = [], ""
for raw in text.splitlines():
    if not current and raw.lstrip().startswith("#"):
        continue
    if raw.rstrip().endswith("\\"):
        current += raw.rstrip()[:-1] + " "
        continue
    current += raw
    if current.strip():
        lines.append(current.strip())
    current = ""

ignore = [
    p.strip().rstrip("/")
    for p in (repo / ".dockerignore").read_text(encoding="utf-8").splitlines()
    if p.strip() and not p.startswith("#")
]


def ignored(rel: str) -> bool:
    parts = rel.split("/")
    for pattern in ignore:
        bare = pattern.removeprefix("**/")
        if fnmatch.fnmatch(rel, pattern) or rel.startswith(pattern + "/"):
            return True
        if pattern.startswith("**/") and any(fnmatch.fnmatch(p, bare) for p in parts):
            return True
    return False


def container_path(path: str, workdir: str) -> str:
    return path if path.startswith("/") else os.path.join(workdir, path)


def host_path(path: str) -> Path:
    """/app/... -> ROOT/app/...; /tmp/... -> ROOT/tmp/...; other absolute paths -> ROOT/sys/..."""
    for prefix, there in (("/app", app), ("/tmp", scratch)):
        if path == prefix or path.startswith(prefix + "/"):
            return there / path[len(prefix) :].lstrip("/")
    return root / "sys" / path.lstrip("/")


def emit(*fields: str) -> None:
    print("\t".join(fields))


args: dict[str, str] = {}
workdir = "/"
for line in lines:
    instruction, _, rest = line.partition(" ")
    instruction = instruction.upper()
    rest = rest.strip()
    if instruction == "FROM":
        emit("FROM", rest)
    elif instruction == "ARG":
        name, _, default = rest.partition("=")
        args[name] = default
        emit("ARG", name, default)
    elif instruction == "ENV":
        for item in shlex.split(rest):
            name, _, value = item.partition("=")
            if value.startswith("/"):
                value = str(host_path(value)) if value.startswith(("/app", "/tmp")) else value
            emit("ENV", name, value)
    elif instruction == "WORKDIR":
        workdir = container_path(rest, workdir)
        host_path(workdir).mkdir(parents=True, exist_ok=True)
        emit("WORKDIR", workdir, str(host_path(workdir)))
    elif instruction == "COPY":
        parts = shlex.split(rest)
        if any(p.startswith("--") for p in parts):
            raise SystemExit(f"COPY flags are not rehearsed: {line}")
        *sources, dest = parts
        target = container_path(dest, workdir)
        for source in sources:
            matches = sorted(glob.glob(source, root_dir=repo)) if glob.has_magic(source) else [source]
            if not matches:
                raise SystemExit(f"COPY source matches nothing: {source}")
            for match in matches:
                if ignored(match) or not (repo / match).exists():
                    raise SystemExit(f"COPY source missing from the build context: {match}")
                into_dir = dest.endswith("/") or len(matches) > 1 or len(sources) > 1
                out = host_path(target)
                if (repo / match).is_dir():
                    for path in sorted((repo / match).rglob("*")):
                        rel = path.relative_to(repo).as_posix()
                        if path.is_file() and not ignored(rel):
                            copy = out / path.relative_to(repo / match)
                            copy.parent.mkdir(parents=True, exist_ok=True)
                            shutil.copy2(path, copy)
                else:
                    copy = out / Path(match).name if into_dir else out
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(repo / match, copy)
                emit("COPY", match, target)
    elif instruction == "RUN":
        command = rest
        if "apt-get" in command:
            packages = re.search(r"apt-get install -y (?:--no-install-recommends )?([^&;|]+)", command)
            emit("APT", packages.group(1).strip() if packages else "", args.get("PNG_EXPORT", ""))
        elif "uv pip install" in command:
            lock = re.search(r"-r (\S+)", command)
            emit("DEPS", lock.group(1) if lock else "", command)
        elif "useradd" in command:
            uid = re.search(r"--uid (\d+)", command)
            emit("ACCOUNT", uid.group(1) if uid else "", command.split()[-1])
        else:
            emit("RUN", command)
    elif instruction == "USER":
        emit("USER", rest)
    elif instruction == "HEALTHCHECK":
        emit("HEALTHCHECK", rest.split(" CMD ", 1)[1].strip())
    elif instruction == "CMD":
        cmd = json.loads(rest)
        if cmd[:2] != ["sh", "-c"]:
            raise SystemExit(f"CMD is rehearsed in the form [\"sh\", \"-c\", ...]: {rest}")
        emit("CMD", cmd[2])
    elif instruction in ("EXPOSE", "LABEL"):
        continue
    else:
        raise SystemExit(f"not rehearsed: {line}")
PY
copies=$(grep -c '^COPY' "$PLAN")
record ok "COPY (${copies} sources into ROOT/app)" "$(since "$t0")" "$(du -sh "$APP" | cut -f1) copied"

plan() { awk -F'\t' -v k="$1" '$1 == k' "$PLAN"; }
ENV_ARGS=()
while IFS=$'\t' read -r _ name value; do ENV_ARGS+=("$name=$value"); done < <(plan ENV)
# The python image's own ENV (not in our Dockerfile): LANG=C.UTF-8.
ENV_ARGS+=("LANG=C.UTF-8")
SERVER_UID=$(plan ACCOUNT | cut -f2)
[ -n "$SERVER_UID" ] || die "the Dockerfile creates no account with --uid"
[ -n "$(plan USER)" ] || die "the Dockerfile has no USER: the server would run as root"
[ -z "$PORT" ] && PORT=$("$PY311" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "image: $(plan FROM | cut -f2), server uid $SERVER_UID, port $PORT, ROOT $ROOT"

# -- 2. apt-get: what the image would install, present on this host? ----------------------------
t0=$(now)
apt_packages="" png_export=""
IFS=$'\t' read -r _ apt_packages png_export < <(plan APT) || true
missing=()
for package in $apt_packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
naskh=$(fc-list : family 2>/dev/null | grep -c "Noto Naskh Arabic" || true)
if [ ${#missing[@]} -eq 0 ] && [ "$naskh" -gt 0 ]; then
  record ok "apt-get (not run; PNG_EXPORT=$png_export)" "$(since "$t0")" \
    "present: $apt_packages; chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null)"
else
  record FAIL "apt-get (not run; PNG_EXPORT=$png_export)" "$(since "$t0")" \
    "missing here: ${missing[*]:-} $([ "$naskh" -gt 0 ] || echo 'Noto Naskh Arabic')"
fi

# -- 3. the locked runtime dependencies, in a fresh venv -------------------------------------
t0=$(now)
lock=""
IFS=$'\t' read -r _ lock _ < <(plan DEPS) || true
[ -n "$lock" ] || die "the Dockerfile installs no dependencies with uv pip install -r"
[ -f "$APP/$lock" ] || die "the Dockerfile installs $lock, which it does not COPY"
"$UV" venv --quiet --python "$PY311" "$VENV"
"$UV" pip install --quiet --python "$VENV/bin/python" --compile-bytecode -r "$APP/$lock"
count=$("$UV" pip list --python "$VENV/bin/python" 2>/dev/null | tail -n +3 | wc -l)
dev=$("$VENV/bin/python" -c 'import importlib.util as u; print(" ".join(m for m in ("pytest", "playwright", "hypothesis", "ruff", "mypy", "pandas-stubs") if u.find_spec(m.replace("-", "_"))))')
if [ -z "$dev" ]; then
  record ok "uv pip install -r $lock" "$(since "$t0")" "$count packages, no dev tools"
else
  record FAIL "uv pip install -r $lock" "$(since "$t0")" "dev tools installed: $dev"
fi

# -- 4. the other RUN lines, as root, in the app directory -----------------------------------
IMAGE_PATH="$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
while IFS=$'\t' read -r _ command; do
  t0=$(now)
  if (cd "$APP" && env -i "${ENV_ARGS[@]}" PATH="$IMAGE_PATH" HOME=/root TMPDIR="$SCRATCH" \
      sh -c "$command") </dev/null >"$ROOT/run.log" 2>&1; then
    record ok "RUN ${command:0:40}" "$(since "$t0")" \
      "data/processed: $(ls "$APP/data/processed" 2>/dev/null | wc -l) entries"
  else
    record FAIL "RUN ${command:0:40}" "$(since "$t0")" "$(tail -n 3 "$ROOT/run.log" | tr '\n' ' ')"
  fi
done < <(plan RUN)

# -- 5. as the image's user: read-only app, unwritable HOME, the image's environment only ----
READ_ONLY=1
unshare --mount --propagation private -- sh -c \
  'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"' sh "$APP" 2>/dev/null || READ_ONLY=0
as_user() {  # as_user CMD...: run CMD as the server user, in ROOT/app, with the image's env
  local user_env=("${ENV_ARGS[@]}" PATH="$IMAGE_PATH" HOME="$HOME_RO" TMPDIR="$SCRATCH" PORT="$PORT")
  local drop=(setpriv --reuid "$SERVER_UID" --regid "$SERVER_UID" --clear-groups --no-new-privs
              -- env -i "${user_env[@]}")
  if [ "$READ_ONLY" = 1 ]; then
    # cd after the mount: a working directory opened before it would bypass the read-only view.
    unshare --mount --propagation private -- sh -c \
      'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && cd "$1" && shift && exec "$@"' \
      sh "$APP" "${drop[@]}" "$@"
  else
    (cd "$APP" && exec "${drop[@]}" "$@")
  fi
}

CMD=$(plan CMD | cut -f2-)
# Loopback only on a shared machine: the image listens on 0.0.0.0.
CMD=${CMD//0.0.0.0/127.0.0.1}
t0=$(now)
# The server's own pid (the chain unshare -> sh -> setpriv -> env -> sh -> streamlit execs in
# one process), written by the innermost shell into the user's TMPDIR.
as_user sh -c 'echo $$ >"$TMPDIR/server.pid"; exec sh -c "$0"' "$CMD" </dev/null >"$LOG" 2>&1 &
LAUNCHER=$!
for _ in $(seq 100); do [ -s "$SCRATCH/server.pid" ] && break; sleep 0.1; done
SERVER_PID=$(cat "$SCRATCH/server.pid" 2>/dev/null || true)
health=""
for _ in $(seq 240); do
  health=$(curl -fsS --max-time 2 "http://127.0.0.1:$PORT/_stcore/health" 2>/dev/null || true)
  [ "$health" = ok ] && break
  kill -0 "$LAUNCHER" 2>/dev/null || break
  sleep 0.25
done
uid_now=$(awk '/^Uid:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "?")
if [ "$health" = ok ]; then
  record ok "start; GET /_stcore/health" "$(since "$t0")" \
    "\"ok\" (server uid $uid_now, app read-only: $([ $READ_ONLY = 1 ] && echo bind mount || echo 'no: root-owned files only'))"
else
  record FAIL "start; GET /_stcore/health" "$(since "$t0")" "got '${health}'; $(tail -n 3 "$LOG" | tr '\n' ' ')"
fi
[ "$uid_now" = "$SERVER_UID" ] || record FAIL "server uid" "-" "runs as uid $uid_now, not $SERVER_UID"

t0=$(now)
if as_user sh -c "$(plan HEALTHCHECK | cut -f2-)" >/dev/null 2>&1; then
  record ok "HEALTHCHECK command (as uid $SERVER_UID)" "$(since "$t0")" "exit 0"
else
  record FAIL "HEALTHCHECK command (as uid $SERVER_UID)" "$(since "$t0")" "non-zero exit"
fi

t0=$(now)
status=$(curl -sS -o "$ROOT/index.html" -w '%{http_code}' "http://127.0.0.1:$PORT/" || true)
if [ "$status" = 200 ] && grep -q '<div id="root">' "$ROOT/index.html"; then
  record ok "GET / (main page)" "$(since "$t0")" "HTTP 200, $(wc -c <"$ROOT/index.html") bytes, Streamlit front end"
else
  record FAIL "GET / (main page)" "$(since "$t0")" "HTTP $status"
fi

t0=$(now)
writes=$(as_user sh -c 'for d in "$PWD" "$HOME" "$PWD/data/processed" "$TMPDIR"; do
  if touch "$d/.rehearsal-write" 2>/dev/null; then rm -f "$d/.rehearsal-write"; echo "$d:writable"
  else echo "$d:read-only"; fi; done' 2>&1 | tr '\n' ' ')
expected="$APP:read-only $HOME_RO:read-only $APP/data/processed:read-only $SCRATCH:writable "
if [ "$writes" = "$expected" ]; then
  record ok "writes as uid $SERVER_UID" "$(since "$t0")" "app, HOME, dataset read-only; TMPDIR writable"
else
  record FAIL "writes as uid $SERVER_UID" "$(since "$t0")" "$writes"
fi

t0=$(now)
png=$(as_user python -c '
import plotly.graph_objects as go
from components.export import png_available, png_bytes
assert png_available(), "Kaleido or Chromium missing"
data = png_bytes(go.Figure(go.Bar(x=["روسيا", "Korea"], y=[2, 1])))
assert data.startswith(b"\x89PNG"), data[:8]
print(len(data))' 2>"$ROOT/png.log" || true)
if [ -n "$png" ]; then
  record ok "PNG export (Kaleido, as uid $SERVER_UID)" "$(since "$t0")" "$png bytes"
else
  record FAIL "PNG export (Kaleido, as uid $SERVER_UID)" "$(since "$t0")" "$(tail -n 2 "$ROOT/png.log" | tr '\n' ' ')"
fi

# -- 6. a real session on every page (the client is this repository's dev venv) ---------------
if [ "$BROWSER" = 1 ] && [ -x "$REPO/.venv/bin/python" ] && [ -x /usr/bin/chromium ] \
   && "$REPO/.venv/bin/python" -c 'import playwright' 2>/dev/null; then
  t0=$(now)
  if session=$(cd "$REPO" && "$REPO/.venv/bin/python" - "http://127.0.0.1:$PORT" 2>"$ROOT/browser.log" <<'PY'
import sys
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

from components.page import PAGES
from tests.browser.conftest import CHROMIUM_ARGS, DEFAULT_CHROMIUM

base = sys.argv[1]
idle = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
problems, requests, shown = [], [], []
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=DEFAULT_CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 and not r.url.endswith(("/_stcore/health", "/_stcore/host-config")) else None)
    for _, path, _, _ in PAGES:
        page.goto(f"{base}/{path}?lang=en", timeout=120_000)
        page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=120_000)
        for _ in range(2):  # idle, and still idle a moment later: the run has finished
            page.locator(idle).wait_for(state="attached", timeout=120_000)
            page.wait_for_timeout(1000)
        errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
        for text in errors.all_inner_texts():
            problems.append(f"/{path}: error shown: {' '.join(text.split())[:160]}")
        shown.append(path)
    browser.close()
foreign = sorted({urlparse(u).netloc for u in requests if urlparse(u).hostname not in ("127.0.0.1", None)})
if foreign:
    problems.append(f"requests to other hosts: {foreign}")
for problem in problems:
    print(problem)
print(f"{len(shown)} pages, {len(requests)} requests, other hosts: {len(foreign)}, problems: {len(problems)}")
sys.exit(1 if problems else 0)
PY
); then
    record ok "browser session, every page" "$(since "$t0")" "$(echo "$session" | tail -n 1)"
  else
    record FAIL "browser session, every page" "$(since "$t0")" \
      "$(echo "$session" | tail -n 1); first: $(echo "$session" | head -n 1 | cut -c1-160) $(tail -n 2 "$ROOT/browser.log" | tr '\n' ' ')"
  fi
else
  record skip "browser session, every page" "-" "--no-browser, or no dev venv / Playwright / chromium"
fi

if grep -q -E "Traceback|Error" "$LOG"; then
  record FAIL "server log" "-" "$(grep -m 3 -E 'Traceback|Error' "$LOG" | tr '\n' ' ')"
else
  record ok "server log" "-" "no traceback ($(wc -l <"$LOG") lines)"
fi

echo
echo "Rehearsal of $(plan FROM | cut -f2) image on $(hostname) ($(nproc) cores), $(date -u +%Y-%m-%dT%H:%M:%SZ):"
printf '%s\n' "${RESULTS[@]}"
exit "$FAILED"
