"""docker-compose.yml, Dockerfile and .env.example stay in step with the code they deploy."""

import importlib
import importlib.util
import os
import re
import runpy
import shlex
from pathlib import Path

import environ
import gunicorn.config
import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from gunicorn import glogging

from ecertif.files.uploads import MAX_UPLOAD_SIZE

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "nginx",
    "migrate",
    "web",
    "worker",
    "worker-documents",
    "beat",
    "db",
    "redis",
    "minio",
    "minio-bucket",
    "backup",
}
APP_SERVICES = ("web", "worker", "worker-documents", "beat")
ONE_SHOT = {"migrate", "minio-bucket", "backup"}
# `${VAR}`, `${VAR:-default}`, `${VAR:?error}`; `$${VAR}` is escaped and left to the container.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
SETTINGS_VARIABLE = re.compile(
    r"\benv(?:\.(?:bool|int|float|str|list|tuple|dict|json|url|db|db_url|cache|path))?"
    r"\(\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']"
)


@pytest.fixture(scope="module")
def compose_text():
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text):
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def env_example():
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, separator, value = line.partition("=")
            assert separator, f"ligne sans « = » dans .env.example : {line!r}"
            values[name.strip()] = value.strip()
    return values


def command_words(service):
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_defines_the_stack(compose):
    assert set(compose["services"]) == SERVICES


def test_compose_migrate_runs_once_before_everything_else(compose):
    migrate = compose["services"]["migrate"]
    assert command_words(migrate) == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "migrate" in get_commands()
    # Nobody else migrates (they would race when scaled) nor collects static files at start.
    for name, service in compose["services"].items():
        if name != "migrate" and "command" in service:
            words = command_words(service)
            assert "migrate" not in words, name
            assert not any("collectstatic" in word for word in words), name


def test_compose_app_services_wait_for_migrate(compose):
    for name in APP_SERVICES:
        assert compose["services"][name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_compose_web_runs_gunicorn_with_its_config_file(compose):
    web = compose["services"]["web"]
    assert command_words(web) == ["gunicorn", "-c", "gunicorn.conf.py"]
    # Only nginx talks to gunicorn: no port published on the host.
    assert "ports" not in web
    assert web["expose"] == ["8000"]


def gunicorn_config(**environ):
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_config_sizes_from_the_environment():
    config = gunicorn_config(WEB_CONCURRENCY="3", WEB_THREADS="5")
    assert (config["workers"], config["threads"], config["worker_class"]) == (3, 5, "gthread")
    assert config["bind"] == "0.0.0.0:8000"
    assert config["accesslog"] == "-"
    assert config["control_socket_disable"] is True
    module, _, attribute = config["logger_class"].rpartition(".")
    assert issubclass(getattr(importlib.import_module(module), attribute), glogging.Logger)
    module, _, attribute = config["wsgi_app"].partition(":")
    assert importlib.util.find_spec(module) is not None
    assert attribute == "application"
    # Every setting named in the file is one gunicorn knows.
    known = set(gunicorn.config.make_settings())
    names = {name for name in config if not name.startswith("_") and name != "os"}
    assert sorted(names - known) == []


def celery_options(words):
    options, index = {}, 5
    while index < len(words):
        options[words[index]] = words[index + 1]
        index += 2
    return options


@pytest.mark.parametrize("name", ["worker", "worker-documents", "beat"])
def test_compose_celery_services_use_the_ecertif_app(compose, name):
    words = command_words(compose["services"][name])
    # --quiet: no banner on stdout, only the JSON log lines.
    kind = "beat" if name == "beat" else "worker"
    assert words[:5] == ["celery", "-A", "ecertif", "--quiet", kind]
    assert celery_options(words)["--loglevel"] == "INFO"


def test_compose_workers_consume_every_queue(compose):
    consumed = {}
    for name in ("worker", "worker-documents"):
        options = celery_options(command_words(compose["services"][name]))
        consumed[name] = set(options["--queues"].split(","))
        # The healthcheck pings the worker by the name it was given.
        prefix = options["--hostname"].removesuffix("@%h")
        test = compose["services"][name]["healthcheck"]["test"][1]
        assert f"--destination {prefix}@$$HOSTNAME" in test, name
    assert consumed == {"worker": {"default", "email"}, "worker-documents": {"documents"}}
    defined = getattr(settings, "CELERY_TASK_QUEUES", None)
    if defined is not None:
        assert {queue.name for queue in defined} == consumed["worker"] | consumed[
            "worker-documents"
        ]


def test_compose_commands_name_existing_modules():
    # gunicorn loads ecertif.wsgi, `celery -A ecertif` loads ecertif.celery.
    assert importlib.util.find_spec("ecertif.wsgi") is not None
    assert importlib.util.find_spec("ecertif.celery") is not None
    assert (ROOT / "manage.py").is_file()


def test_compose_app_services_share_the_image_and_env_file(compose):
    for name in ("migrate", *APP_SERVICES):
        service = compose["services"][name]
        assert service["build"] == {"context": ".", "target": "app"}, name
        assert service["image"] == "ecertif:latest", name
        assert service["env_file"] == ".env", name


def test_compose_images_of_backing_services(compose):
    assert compose["services"]["db"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert compose["services"]["minio"]["image"].startswith("minio/minio:")


def test_compose_optional_services_sit_in_profiles(compose):
    for name, service in compose["services"].items():
        expected = ["s3"] if name.startswith("minio") else None
        if name == "backup":
            expected = ["outils"]
        assert service.get("profiles") == expected, name
    assert compose["services"]["minio-bucket"]["depends_on"] == {
        "minio": {"condition": "service_healthy"}
    }


def test_compose_every_long_running_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name in ONE_SHOT:
            assert "healthcheck" not in service, name
        else:
            assert service["healthcheck"]["test"], name


def test_compose_web_and_nginx_healthchecks_ask_the_health_endpoint(compose):
    web = "\n".join(compose["services"]["web"]["healthcheck"]["test"])
    assert 'conn.request("GET", "/sante/", headers=headers)' in web
    nginx = compose["services"]["nginx"]["healthcheck"]["test"]
    assert nginx[0] == "CMD-SHELL"
    assert nginx[1].startswith("curl -fsk -o /dev/null ")
    assert nginx[1].endswith(" https://127.0.0.1/sante/")


def test_compose_nginx_renders_the_deploy_template(compose):
    nginx = compose["services"]["nginx"]
    assert nginx["build"] == {"context": ".", "target": "nginx"}
    assert nginx["ports"] == ["80:80", "443:443"]
    assert nginx["depends_on"] == {"web": {"condition": "service_healthy"}}
    environment = nginx["environment"]
    template = (ROOT / "deploy" / "nginx" / "templates" / "ecertif.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{(NGINX_[A-Z_]+)\}", template))
    assert placeholders == set(environment) - {"NGINX_ENVSUBST_FILTER"}
    assert environment["NGINX_ENVSUBST_FILTER"] == "^NGINX_"
    assert environment["NGINX_UPSTREAM"] == "web:8000"
    tls = {volume.split(":")[1]: volume for volume in nginx["volumes"]}["/etc/nginx/tls"]
    assert tls == "./deploy/tls:/etc/nginx/tls:ro"
    for variable in ("NGINX_TLS_CERTIFICATE", "NGINX_TLS_CERTIFICATE_KEY"):
        assert environment[variable].startswith("/etc/nginx/tls/")


def test_nginx_template_limits_and_headers():
    template = (ROOT / "deploy" / "nginx" / "templates" / "ecertif.conf.template").read_text()
    directives = [line.strip() for line in template.splitlines()]
    # Just above the 10 Mo upload limit of the application.
    assert "client_max_body_size 11m;" in directives
    assert MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 11 * 1024 * 1024
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in directives
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives
    assert "location ^~ /media {" in directives
    # nginx's access log format names no path, no query string.
    log_format = template[template.index("log_format") : template.index("upstream")]
    variables = set(re.findall(r"\$([a-z_0-9]+)", log_format))
    assert variables == {
        "time_iso8601",
        "remote_addr",
        "request_method",
        "status",
        "body_bytes_sent",
        "request_time",
    }


def test_compose_backup_runs_the_backup_script(compose):
    backup = compose["services"]["backup"]
    # The same PostgreSQL major version as the db service: pg_dump refuses a newer server.
    assert backup["image"] == compose["services"]["db"]["image"]
    assert backup["entrypoint"] == ["/opt/ecertif/scripts/backup.sh"]
    assert "./scripts:/opt/ecertif/scripts:ro" in backup["volumes"]
    assert backup["env_file"] == ".env"


def test_compose_media_volume_is_shared_by_web_and_workers(compose, env_example):
    mount = f"media:{env_example['MEDIA_ROOT']}"
    assert "media" in compose["volumes"]
    for name in ("web", "worker", "worker-documents", "backup"):
        assert mount in compose["services"][name]["volumes"], name
    assert compose["services"]["migrate"]["volumes"] == []


def test_compose_postgres_password_comes_from_the_environment(compose):
    password = compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD:?")


def test_env_example_defines_every_compose_variable(compose_text, env_example):
    lines = [line for line in compose_text.splitlines() if not line.lstrip().startswith("#")]
    used = set(COMPOSE_VARIABLE.findall("\n".join(lines)))
    assert "POSTGRES_PASSWORD" in used
    assert sorted(used - set(env_example)) == []


def test_env_example_defines_every_variable_read_by_settings(env_example):
    used = set()
    for path in sorted((ROOT / "ecertif" / "settings").glob("*.py")):
        used |= set(SETTINGS_VARIABLE.findall(path.read_text()))
    # The regex must keep finding reads written in each style.
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "CONN_MAX_AGE"} <= used
    assert sorted(used - set(env_example)) == []


def test_env_example_values_parse_as_the_settings_read_them(env_example):
    assert env_example["SECRET_KEY"].startswith("changez-moi")
    assert env_example["DEBUG"] == "false"
    assert int(env_example["SECURE_HSTS_SECONDS"]) == 31536000
    assert int(env_example["CONN_MAX_AGE"]) == 60
    email = environ.Env.email_url_config(env_example["EMAIL_URL"])
    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert email["EMAIL_PORT"] == 587
    assert email["EMAIL_USE_TLS"] is True


def test_env_example_database_url_matches_the_postgres_service(env_example):
    database = environ.Env.db_url_config(env_example["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db"
    assert database["NAME"] == env_example["POSTGRES_DB"]
    assert database["USER"] == env_example["POSTGRES_USER"]
    assert database["PASSWORD"] == env_example["POSTGRES_PASSWORD"]
    assert env_example["REDIS_URL"] == "redis://redis:6379/0"


def dockerfile_stages():
    """{stage name: its lines}, in order; the last, unnamed stage is ``None``."""
    stages, current = {}, None
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        line = line.strip()
        if line.startswith("FROM "):
            words = line.split()
            current = words[3] if len(words) == 4 and words[2] == "AS" else None
            stages[current] = [line]
        elif current in stages and line and not line.startswith("#"):
            stages[current].append(line)
    return stages


def test_dockerfile_builds_a_non_root_python_image():
    stages = dockerfile_stages()
    assert list(stages) == ["app", "nginx", None]
    app = stages["app"]
    assert app[0] == "FROM python:3.13-slim AS app"
    text = "\n".join(app)
    for package in ("libharfbuzz-subset0", "libpango-1.0-0", "libpangoft2-1.0-0"):
        assert package in text
    assert "RUN pip install . && rm -rf /tmp/build" in app
    users = [line.split()[1] for line in app if line.startswith("USER ")]
    assert users == ["ecertif"]
    assert app[-1] == 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]'
    # Without --target, `docker build .` gives the application image.
    assert stages[None] == ["FROM app"]


def test_dockerfile_collects_static_files_at_build_with_production_settings():
    app = "\n".join(dockerfile_stages()["app"])
    collect = app[app.index("RUN SECRET_KEY=") : app.index("collectstatic --noinput -v0")]
    # Placeholders for every variable the production settings require, and nothing secret.
    required = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SITE_URL", "EMAIL_URL")
    for variable in required:
        assert f"{variable}=" in collect, variable
    assert "ENV SECRET_KEY" not in app


def test_dockerfile_nginx_stage_ships_template_and_static_files():
    nginx = dockerfile_stages()["nginx"]
    assert nginx[0] == "FROM nginx:1.27-bookworm AS nginx"
    assert "COPY deploy/nginx/templates/ /etc/nginx/templates/" in nginx
    assert "COPY --from=app /app/staticfiles /usr/share/nginx/ecertif-static" in nginx
    assert "RUN rm -f /etc/nginx/conf.d/default.conf" in nginx


def test_dockerfile_copies_every_local_app():
    copied = set()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(word.rstrip("/") for word in line.split()[1:-1])
    local_packages = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert {"ecertif", "referentiel"} <= local_packages
    needed = local_packages | {"manage.py", "gunicorn.conf.py", "templates", "static", "fixtures"}
    assert sorted(needed - copied) == []
    for path in copied - {"pyproject.toml"}:
        assert (ROOT / path).exists(), path


def test_dockerignore_keeps_secrets_and_local_files_out():
    patterns = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", ".git", "db.sqlite3", "var", "staticfiles"} <= patterns
    # Nothing the Dockerfile copies is ignored.
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            for word in line.split()[1:-1]:
                assert word.rstrip("/") not in patterns, word
