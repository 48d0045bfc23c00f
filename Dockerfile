# Rasd dashboard image: the app, its pinned dependencies and the bundled corpus, built.
#   docker build -t rasd .
#   docker run --rm -p 8501:8501 --read-only --tmpfs /tmp rasd
# Serve your own dataset: mount it read-only under /app/data (RASD_DATA_ROOT) and point
# RASD_DATA at it:
#   docker run --rm -p 8501:8501 --read-only --tmpfs /tmp \
#     -v /srv/corpus-ds/processed:/app/data/corpus:ro -e RASD_DATA=/app/data/corpus rasd
# Settings (README "Hosting"): RASD_DATA, RASD_DATA_ROOT, PORT, RASD_REQUIRE_LOGIN; sign-in
# secrets are mounted at /app/.streamlit/secrets.toml (never baked into the image).
# Without Chromium (a smaller image, PNG export then only from the chart's own toolbar):
#   docker build --build-arg PNG_EXPORT=0 -t rasd-slim .
# No Docker engine here? scripts/rehearse_image.sh replays these steps without one.
FROM python:3.11-slim

ARG PNG_EXPORT=1

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASD_DATA=/app/data/processed \
    RASD_DATA_ROOT=/app/data \
    PORT=8501 \
    BROWSER_PATH=/usr/bin/chromium \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    XDG_CONFIG_HOME=/tmp/.config \
    XDG_CACHE_HOME=/tmp/.cache

WORKDIR /app

# Chart PNGs are drawn by Kaleido in a headless Chromium (Debian's; Kaleido cannot download
# one here). The bundled Noto Naskh Arabic is installed system-wide so that browser has it;
# DejaVu draws the Latin text and digits (the slim image has no fonts at all).
COPY static/fonts/*.ttf /usr/local/share/fonts/rasd/
RUN if [ "$PNG_EXPORT" = "1" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium fontconfig fonts-dejavu-core \
      && fc-cache -f \
      && rm -rf /var/lib/apt/lists/*; \
    fi

# Dependencies first, so code changes do not reinstall them: the runtime lock (the versions
# of requirements.lock, without pytest, Playwright, ruff, mypy and the other dev tools).
COPY requirements-runtime.lock ./
RUN pip install uv==0.13.9 \
 && uv pip install --system --compile-bytecode -r requirements-runtime.lock \
 && pip uninstall -y uv

# Code and data stay owned by root: the server user can read them, not change them.
COPY rasd ./rasd
COPY app.py ./
COPY pages ./pages
COPY components ./components
COPY static ./static
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY data/raw ./data/raw
COPY data/gazetteer ./data/gazetteer
# The package is run from /app (python -m rasd.cli), not installed.
RUN python -m rasd.cli build data/raw --out data/processed --quiet \
 && python -m compileall -q rasd components pages app.py

# Never run the server as root.
RUN useradd --create-home --uid 10001 rasd
USER rasd

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, sys, urllib.request; r = urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8501\")}/_stcore/health', timeout=4); sys.exit(r.read().strip() != b'ok')"

CMD ["sh", "-c", "exec streamlit run app.py --server.port \"${PORT}\" --server.address 0.0.0.0 --server.headless true"]
