# e-Certif image, shared by the web, worker and beat services of docker-compose.yml.
FROM python:3.13-slim

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
# Listed one by one rather than `COPY . .`: .venv, .env and the local database stay out.
COPY manage.py pyproject.toml ./
COPY ecertif ./ecertif
COPY referentiel ./referentiel
COPY dossiers ./dossiers
COPY evaluations ./evaluations
COPY jurys ./jurys
COPY stats ./stats
COPY exports ./exports
COPY home ./home
COPY demo ./demo
COPY aide ./aide
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures

# collectstatic (web) and uploads (the media volume takes this directory's owner) run as ecertif.
RUN mkdir -p /app/staticfiles /var/lib/ecertif/media \
    && chown ecertif:ecertif /app/staticfiles /var/lib/ecertif/media

USER ecertif
EXPOSE 8000
CMD ["gunicorn", "ecertif.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
