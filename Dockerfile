# The app as one replica. `compose.yaml` runs several behind HAProxy; deploy/kubernetes does the same
# on a cluster. Secrets come from the environment or mounted files, never from the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# A user without a login shell owns only what the app writes: the fetch cache and the default
# SQLite store (a team sets DATABASE_URL to PostgreSQL instead).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin frontline \
    && mkdir -p /app/data/cache \
    && chown -R frontline /app/data
USER frontline

EXPOSE 8501
# python rather than curl: the slim image has no curl, and one more package is one more CVE feed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
