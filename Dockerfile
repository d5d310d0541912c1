# The image the Helm chart runs (API, worker and migration job share it).

# The portal, built from its lockfile against the SDL (the build fails if they disagree).
FROM node:20-bookworm-slim AS portal
WORKDIR /src/portal
COPY portal/package.json portal/package-lock.json portal/.npmrc ./
RUN npm ci --no-fund --no-audit
COPY schema/schema.graphql /src/schema/schema.graphql
COPY portal/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --system --uid 10001 jixiao
COPY --from=portal /src/portal/dist /app/portal/dist
ENV JIXIAO_PORTAL_DIR=/app/portal/dist
USER 10001
EXPOSE 8000
