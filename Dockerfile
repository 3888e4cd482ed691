# syntax=docker/dockerfile:1

# --- The handheld PWA: static files built once, served by the app at / ---
FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
RUN npm run build

# --- The server ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# What WeasyPrint needs to lay out labels and documents (Pango, HarfBuzz, fonts;
# Noto CJK for Chinese documents).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fontconfig fonts-dejavu-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md /tmp/src/
COPY backend /tmp/src/backend
RUN pip install /tmp/src && rm -rf /tmp/src

WORKDIR /app
COPY --from=pwa /src/pwa/dist /app/pwa/dist
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin wms \
 && mkdir -p /app/var \
 && chown wms:wms /app/var

# Without DATABASE_URL the container keeps a SQLite file in /app/var;
# docker-compose.yml points it at PostgreSQL and Redis instead.
ENV WMS_DATA_DIR=/app/var \
    WMS_PWA_DIST=/app/pwa/dist
USER wms
EXPOSE 8000
CMD ["wms", "serve", "--host", "0.0.0.0", "--port", "8000"]
