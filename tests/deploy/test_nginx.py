"""The real nginx (Debian package), configured from deploy/nginx/, in front of gunicorn.

Both run on random loopback ports as the current user. Distinct clients are simulated by
binding the client socket to distinct loopback addresses (127.0.0.2, 127.0.0.3…): nginx sees
them as the TCP peer and passes them on in X-Forwarded-For; the application trusts one proxy.
"""

import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "ecertif.conf.template"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
TOO_MANY_LOGINS = "Trop de tentatives de connexion échouées"
BAD_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects"
PASSWORD = "motdepasse-proxy-2026"
SEARCHED_NAME = "Zanzibarowski"

pytestmark = [
    pytest.mark.skipif(
        NGINX is None, reason="nginx absent (paquet Debian « nginx », installé par .ci/run)"
    ),
    # One nginx + gunicorn pair for the whole module, on one xdist worker.
    pytest.mark.xdist_group("nginx"),
]

SETUP_SCRIPT = f"""
import json

from ecertif.accounts.models import EmployerMembership, Establishment, User
from ecertif.accounts.services import activation_url
from tests.evaluations.workplace.helpers import invite, submitted_dossier

for email in ["proprietaire@exemple.fr", "autre@exemple.fr", "rh@exemple.fr"]:
    User.objects.create_user(email=email, password={PASSWORD!r})
establishment = Establishment.objects.create(
    siret="44306184100047", name="Chimie de l'Ouest", address="3 avenue des Usines",
    postcode="44000", city="Nantes",
)
EmployerMembership.objects.create(
    user=User.objects.get(email="rh@exemple.fr"), establishment=establishment
)
_invitation, token = invite(submitted_dossier())
activation = activation_url(User.objects.create_user(email="nouveau@exemple.fr", password=None))
print(json.dumps({{"activation": activation, "token": token}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"le processus s'est arrêté :\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"le port {port} ne répond pas :\n{log.read_text()}")


def render_template(**values):
    text = TEMPLATE.read_text()
    text = re.sub(r"\$\{(NGINX_[A-Z_]+)\}", lambda match: values[match[1]], text)
    assert "${" not in text
    return text


def self_signed_certificate(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "cert.pem", directory / "key.pem"


class Stack:
    """gunicorn (test settings, its own SQLite file) behind nginx, both on loopback."""

    def __init__(self, directory):
        self.directory = directory
        self.processes = []
        self.app_log = directory / "gunicorn.log"
        self.nginx_log = directory / "nginx.log"

    def start(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="ecertif.settings.test",
            DATABASE_URL=f"sqlite:///{self.directory / 'db.sqlite3'}",
            EMAIL_URL="memorymail://",
            TEST_MEDIA_ROOT=str(self.directory / "media"),
            TRUSTED_PROXY_COUNT="1",
            LOG_LEVEL="INFO",
        )
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        created = subprocess.run(
            [*manage, "shell", "-c", SETUP_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        secrets_made = json.loads(created.stdout.strip().splitlines()[-1])
        self.activation_path = urllib.parse.urlsplit(secrets_made["activation"]).path
        self.invitation_token = secrets_made["token"]

        self.app_port = free_port()
        with self.app_log.open("w") as log:
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{self.app_port}",
                        "--workers",
                        "1",  # the test settings keep rate limits in a per-process cache
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for_port(self.app_port, self.processes[-1], self.app_log)

        static = self.directory / "static"
        static.mkdir()
        (static / "site.css").write_text("body { color: black; }\n")
        certificate, key = self_signed_certificate(self.directory)
        self.http_port, self.https_port = free_port(), free_port()
        (self.directory / "ecertif.conf").write_text(
            render_template(
                NGINX_UPSTREAM=f"127.0.0.1:{self.app_port}",
                NGINX_HTTP_LISTEN=f"127.0.0.1:{self.http_port}",
                NGINX_HTTPS_LISTEN=f"127.0.0.1:{self.https_port}",
                NGINX_SERVER_NAME="localhost",
                NGINX_STATIC_ROOT=str(static),
                NGINX_TLS_CERTIFICATE=str(certificate),
                NGINX_TLS_CERTIFICATE_KEY=str(key),
            )
        )
        temp = self.directory / "nginx-temp"
        temp.mkdir()
        # As root (CI), workers would otherwise drop to « nobody » and lose the temp files.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.directory / "nginx.conf").write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {self.directory}/nginx.pid;
error_log {self.directory}/nginx-error.log info;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.directory}/ecertif.conf;
}}
"""
        )
        with self.nginx_log.open("w") as log:
            self.processes.append(
                subprocess.Popen(
                    [
                        NGINX,
                        "-p",
                        str(self.directory),
                        "-e",
                        str(self.directory / "nginx-error.log"),
                        "-c",
                        str(self.directory / "nginx.conf"),
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for_port(self.https_port, self.processes[-1], self.directory / "nginx-error.log")

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def app_lines(self, **until):
        """The JSON lines gunicorn and the application wrote, once one line has the fields
        `until` (gunicorn writes the access line just after sending the response)."""
        deadline = time.monotonic() + 10
        while True:
            lines = [json.loads(line) for line in self.app_log.read_text().splitlines() if line]
            if any(until.items() <= line.items() for line in lines):
                return lines
            if time.monotonic() > deadline:
                pytest.fail(f"aucune ligne {until} dans le journal d'accès")
            time.sleep(0.1)


class Browser:
    """One client on its own loopback address, with its cookies, speaking HTTPS to nginx."""

    def __init__(self, stack, address):
        self.stack = stack
        self.address = address
        self.cookies = {}
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.stack.https_port,
            source_address=(self.address, 0),
            context=self.tls,
            timeout=30,
        )
        headers = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # The request is HTTPS (X-Forwarded-Proto): Django checks where the form came from.
            headers["Origin"] = "https://localhost"
            headers["Referer"] = f"https://localhost{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        connection.close()
        return response, text

    def post_form(self, path, data, **headers):
        _response, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **data}, headers)

    def login(self, email, password, **headers):
        return self.post_form("/comptes/login/", {"login": email, "password": password}, **headers)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("nginx"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def test_failed_logins_from_one_client_do_not_block_others_nor_the_owner(stack):
    attacker = Browser(stack, "127.0.0.2")
    for attempt in range(6):
        # A forged X-Forwarded-For changes nothing: nginx appends the real peer.
        response, page = attacker.login(
            "proprietaire@exemple.fr", "mauvais", **{"X-Forwarded-For": f"10.9.9.{attempt}"}
        )
        assert response.status == 200
    assert TOO_MANY_LOGINS in page
    response, page = attacker.login("proprietaire@exemple.fr", PASSWORD)
    assert TOO_MANY_LOGINS in page
    assert response.status in (200, 429)

    other = Browser(stack, "127.0.0.3")
    response, page = other.login("autre@exemple.fr", "mauvais")
    assert response.status == 200
    assert BAD_CREDENTIALS in page
    assert TOO_MANY_LOGINS not in page
    response, _page = other.login("autre@exemple.fr", PASSWORD)
    assert (response.status, response.getheader("Location")) == (302, "/")

    owner = Browser(stack, "127.0.0.4")
    response, _page = owner.login("proprietaire@exemple.fr", PASSWORD)
    assert (response.status, response.getheader("Location")) == (302, "/")

    lines = stack.app_lines(client_ip="127.0.0.4", method="POST")
    clients = {line.get("client_ip") for line in lines if line.get("method")}
    assert {"127.0.0.2", "127.0.0.3", "127.0.0.4"} <= clients
    assert "10.9.9.0" not in clients


def test_account_form_accepts_a_valid_request_after_five_rejected(stack):
    company = Browser(stack, "127.0.0.5")
    valid = {
        "siret": "552 081 317 66522",
        "company_name": "Polymères du Nord",
        "address": "1 rue du Port",
        "postcode": "59000",
        "city": "Lille",
        "contact_first_name": "Lucie",
        "contact_last_name": "Bernard",
        "contact_email": "rh@polymeres-nord.fr",
        "contact_phone": "03 20 00 00 00",
        "message": "",
    }
    for _ in range(5):
        response, page = company.post_form("/demande-de-compte/", {**valid, "postcode": "00000"})
        assert response.status == 200
        assert "Ce code postal ne correspond à aucun département français." in page
    response, _page = company.post_form("/demande-de-compte/", valid)
    assert response.status == 302
    assert response.getheader("Location") == "/demande-de-compte/envoyee/"


def raw_post(stack, path, size, send):
    """POST `size` bytes announced, `send` bytes actually sent; the status line nginx answers."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection(
            ("127.0.0.1", stack.https_port), source_address=("127.0.0.6", 0), timeout=30
        ) as plain,
        context.wrap_socket(plain, server_hostname="localhost") as tls,
    ):
        tls.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                f"application/octet-stream\r\nContent-Length: {size}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
        )
        chunk = b"x" * 65536
        try:
            for start in range(0, send, len(chunk)):
                tls.sendall(chunk[: min(len(chunk), send - start)])
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = tls.recv(65536)
            if not data:
                break
            answer += data
    return answer.decode(errors="replace")


def test_upload_above_the_limit_is_refused_by_nginx_before_django(stack):
    answer = raw_post(stack, "/dossiers/1/pieces/trop-gros/", 12 * 1024 * 1024, 64 * 1024)
    assert answer.startswith("HTTP/1.1 413 ")
    # Just under the limit (a 10 Mo file and its envelope), the request reaches Django.
    size = 10 * 1024 * 1024 + 200 * 1024
    answer = raw_post(stack, "/dossiers/1/pieces/taille-limite/", size, size)
    assert not answer.startswith("HTTP/1.1 413 ")
    lines = stack.app_lines(path="/dossiers/1/pieces/taille-limite/")
    assert "/dossiers/1/pieces/trop-gros/" not in [line.get("path") for line in lines]


def test_static_files_long_cache_and_no_media(stack):
    browser = Browser(stack, "127.0.0.7")
    response, text = browser.request("GET", "/static/site.css")
    assert response.status == 200
    assert text == "body { color: black; }\n"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    for path in ["/media/x.pdf", "/media-non-public/dossiers/1/x.pdf"]:
        response, _text = browser.request("GET", path)
        assert response.status == 404


def test_access_logs_hold_no_secret(stack):
    # A real invitation link: the token is exchanged for a session, then the page opens.
    token = stack.invitation_token
    assistant = Browser(stack, "127.0.0.9")
    response, _page = assistant.request("GET", f"/evaluation-metier/{token}/")
    assert (response.status, response.getheader("Location")) == (302, "/evaluation-metier/")
    response, page = assistant.request("GET", "/evaluation-metier/")
    assert response.status == 200
    assert "Paul Tuteur" in page
    # An unknown (mistyped) link is logged masked too.
    unknown = secrets.token_urlsafe(24)
    browser = Browser(stack, "127.0.0.8")
    response, _page = browser.request("GET", f"/evaluation-metier/{unknown}/")
    assert response.status == 404
    response, _page = browser.request("GET", stack.activation_path)
    assert response.status == 302  # allauth keeps the key in the session, then redirects
    browser.request("GET", response.getheader("Location"))
    response, _page = browser.login("rh@exemple.fr", PASSWORD)
    assert response.status == 302
    response, _page = browser.request("GET", f"/dossiers/?q={SEARCHED_NAME}&page=1")
    assert response.status == 200

    key = stack.activation_path.rstrip("/").rsplit("/", 1)[-1]
    lines = stack.app_lines(path="/dossiers/?q=[masqué]&page=1")
    logs = stack.app_log.read_text() + stack.nginx_log.read_text()
    for secret in [token, unknown, key, key.split("-", 1)[1], SEARCHED_NAME]:
        assert secret not in logs
    assert all(set(line) >= {"time", "level", "logger", "message"} for line in lines)
    access = [
        (line["client_ip"], line["method"], line["path"], line["status"])
        for line in lines
        if line["logger"] == "gunicorn.access"
    ]
    assert ("127.0.0.9", "GET", "/evaluation-metier/[masqué]/", 302) in access
    assert ("127.0.0.9", "GET", "/evaluation-metier/", 200) in access
    assert ("127.0.0.8", "GET", "/evaluation-metier/[masqué]/", 404) in access
    masked = [line["path"] for line in lines if line.get("client_ip") == "127.0.0.8"]
    assert "/comptes/password/reset/key/[masqué]/" in masked
    assert "/dossiers/?q=[masqué]&page=1" in masked
    nginx_lines = [json.loads(line) for line in stack.nginx_log.read_text().splitlines()]
    assert {line["client_ip"] for line in nginx_lines} >= {"127.0.0.8"}
    assert all("time" in line and "path" not in line for line in nginx_lines)
