# Rasd dashboard image: the app, its pinned dependencies and the bundled corpus, built.
#   docker build -t rasd .
#   docker run --rm -p 8501:8501 rasd
# Serve your own dataset by mounting it and pointing RASD_DATA at it:
#   docker run --rm -p 8501:8501 -v /srv/corpus-ds:/data:ro -e RASD_DATA=/data rasd
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASD_DATA=/app/data/processed \
    PORT=8501

WORKDIR /app

# Dependencies first, from the committed lock, so code changes do not reinstall them.
COPY requirements.lock pyproject.toml README.md ./
RUN pip install uv==0.13.9 \
 && uv pip install --system --compile-bytecode -r requirements.lock \
 && pip uninstall -y uv

COPY rasd ./rasd
COPY app.py ./
COPY pages ./pages
COPY components ./components
COPY static ./static
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY data/raw ./data/raw
COPY data/gazetteer ./data/gazetteer
RUN pip install --no-deps --no-build-isolation -e . \
 && rasd build data/raw --out data/processed --quiet

# Never run the server as root.
RUN useradd --create-home --uid 10001 rasd && chown -R rasd:rasd /app
USER rasd

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8501\")}/_stcore/health', timeout=4)"

CMD ["sh", "-c", "exec streamlit run app.py --server.port ${PORT} --server.address 0.0.0.0 --server.headless true"]
