# e-Certif images, built by docker-compose.yml:
#   target « app »   — the application (web with gunicorn, Celery workers and beat, migrate);
#   target « nginx » — the reverse proxy, with the static files collected by the app stage.
FROM python:3.13-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=ecertif.settings.prod

# WeasyPrint (PDF decision sheets and certificates) needs Pango and HarfBuzz, and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml alone, so that a code change keeps this layer.
WORKDIR /tmp/build
COPY pyproject.toml ./
RUN pip install . && rm -rf /tmp/build

RUN groupadd --system --gid 10001 ecertif \
    && useradd --system --uid 10001 --gid ecertif --home-dir /app --no-create-home ecertif

WORKDIR /app
# Listed one by one rather than `COPY . .` (.dockerignore keeps .venv, .env and the rest out).
COPY manage.py pyproject.toml gunicorn.conf.py ./
COPY ecertif ./ecertif
COPY referentiel ./referentiel
COPY dossiers ./dossiers
COPY evaluations ./evaluations
COPY jurys ./jurys
COPY certificates ./certificates
COPY stats ./stats
COPY exports ./exports
COPY home ./home
COPY demo ./demo
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures

# Static files are collected once, here (hashed, compressed names), never at container start.
# The production settings refuse to load without their variables: placeholders, build only.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build REDIS_URL=redis://localhost:6379/0 \
    SITE_URL=https://build.invalid EMAIL_URL=smtp://localhost:25 \
    python manage.py collectstatic --noinput -v0

# Uploads (when stored on disk: the media volume takes this directory's owner).
RUN mkdir -p /var/lib/ecertif/media && chown ecertif:ecertif /var/lib/ecertif/media

USER ecertif
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]


# The reverse proxy: official nginx (Debian), the e-Certif template, the static files.
FROM nginx:1.27-bookworm AS nginx
# curl answers the container healthcheck.
RUN command -v curl > /dev/null \
    || (apt-get update && apt-get install -y --no-install-recommends curl \
        && rm -rf /var/lib/apt/lists/*)
# Only our server: the image's default one would answer unknown host names.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/templates/ /etc/nginx/templates/
COPY --from=app /app/staticfiles /usr/share/nginx/ecertif-static


# Without --target, the application image.
FROM app
