"""A real S3 server on loopback (moto's server mode) for the object-storage tests.

Import the `s3` fixture into a test module: it starts the server on a free port, creates the
bucket, points STORAGES["default"] at it through the same environment variables as production
(ecertif.settings.base.default_storage_from_env) and yields (boto3 client, endpoint).
"""

import io
import socket
import urllib.error
import urllib.request

import boto3
import pypdf
import pytest
from moto.server import ThreadedMotoServer

from ecertif.settings.base import default_storage_from_env

BUCKET = "ecertif-media-test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def pdf_bytes():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def s3(monkeypatch, settings, tmp_path):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "ecertif-test",
        "AWS_SECRET_ACCESS_KEY": "ecertif-test-secret",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="ecertif-test",
        aws_secret_access_key="ecertif-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env()}
    settings.EXPORT_TEMP_DIR = str(tmp_path / "exports-en-cours")
    yield client, endpoint
    # The server keeps its buckets in this process: start the next test from nothing.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    server.stop()


def keys(client, bucket=BUCKET):
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def local_files(path):
    return sorted(str(p) for p in path.rglob("*") if p.is_file()) if path.exists() else []
