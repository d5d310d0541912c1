# The image the Helm chart runs (API, worker and migration job share it): the API by default
# (CMD), the worker and the migrations by the chart's commands. Runs as uid 10001 with a
# read-only root filesystem (Kubernetes: the chart mounts an emptyDir at /tmp).

# 1. The portal, built from its lockfile against the SDL (the build fails if they disagree).
FROM node:20-bookworm-slim AS portal
WORKDIR /src/portal
COPY portal/package.json portal/package-lock.json portal/.npmrc ./
RUN npm ci --no-fund --no-audit
COPY schema/schema.graphql /src/schema/schema.graphql
COPY portal/ ./
RUN npm run build

# 2. The Python packages, pinned by constraints.txt, in a virtualenv copied to the runtime. The
# project's own code runs from /app (PYTHONPATH), where the migrations find alembic.ini.
FROM python:3.11-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml constraints.txt ./
COPY jixiao jixiao
COPY demo demo
COPY rules rules
COPY models models
COPY tenants tenants
COPY schema schema
COPY resolvers resolvers
COPY authz authz
COPY workers workers
COPY bench bench
COPY reports reports
COPY vocab vocab
COPY alembic.ini ./
RUN /opt/venv/bin/pip install -c constraints.txt . && /opt/venv/bin/pip uninstall -y jixiao \
    && find /src -name '*.egg-info' -prune -exec rm -rf {} + && rm -rf /src/build

# 3. The runtime: fonts and libraries for the PDF reports, the virtualenv, the portal.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 jixiao \
    && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home jixiao
COPY --from=python /opt/venv /opt/venv
WORKDIR /app
# Migrations run from the checkout layout (alembic.ini names models/migrations).
COPY --from=python /src /app
COPY --from=portal /src/portal/dist /app/portal/dist
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    JIXIAO_PORTAL_DIR=/app/portal/dist \
    JIXIAO_PRODUCTION=1
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# Uvicorn leaves X-Forwarded-For alone: the application reads it, from JIXIAO_TRUSTED_PROXIES.
CMD ["uvicorn", "jixiao.asgi:app", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers", "--no-server-header"]
