"""Benchmark of the pages people wait on (SPEC §10): median time and SQL queries per page.

Usage (PostgreSQL recommended, on a database filled by `generate_load_data`):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecertif_bench \\
        .venv/bin/python bench/run.py --runs 15
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecertif.settings.dev")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dossiers.models import Dossier  # noqa: E402

PAGES = [
    ("secretariat@demo.ecertif.fr", "/"),
    ("secretariat@demo.ecertif.fr", "/dossiers/"),
    ("secretariat@demo.ecertif.fr", "/dossiers/?q=Nom12&sort=candidat"),
    ("secretariat@demo.ecertif.fr", "/dossiers/?state=validated&page=50"),
    ("secretariat@demo.ecertif.fr", "/statistiques/"),
    ("charge@demo.ecertif.fr", "/"),
    ("charge@demo.ecertif.fr", "/dossiers/"),
    ("charge@demo.ecertif.fr", "/statistiques/"),
    ("evaluateur@demo.ecertif.fr", "/"),
    ("evaluateur@demo.ecertif.fr", "/dossiers/"),
]


def measure(client, path, runs):
    client.get(path, HTTP_HOST="127.0.0.1")  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, HTTP_HOST="127.0.0.1")
    return response.status_code, statistics.median(timings), max(timings), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    users = get_user_model().objects
    print(f"Base : {connection.vendor}, {Dossier.objects.count()} dossiers\n")
    print("| compte | page | statut | médiane (ms) | max (ms) | requêtes SQL |")
    print("|---|---|---|---|---|---|")
    for email, path in PAGES:
        user = users.filter(email=email).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        status, median, worst, count = measure(client, path, args.runs)
        print(f"| {email} | `{path}` | {status} | {median:.0f} | {worst:.0f} | {count} |")


if __name__ == "__main__":
    main()
