"""gunicorn (2 sync workers, random loopback port) and a bounded load generator."""

import http.client
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn ecertif.wsgi` on the benchmark settings, stopped by its own pid."""

    def __init__(self, workers=2):
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "false"}
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "ecertif.wsgi:application",
                "--config",
                str(ROOT / "bench" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait(self, path, cookie, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if get(self.port, path, cookie) == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# Each request opens a connection (a sync worker serves one request per connection): closed
# normally, each would stay a minute in TIME_WAIT, tens of thousands during a run (8,000 seen
# after one comparison) against the 28,000 ports of the local range. Closed with a reset once
# the response is read, nothing is left waiting.
RESET_ON_CLOSE = struct.pack("ii", 1, 0)


def get(port, path, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        # Set while the socket is open: http.client closes it once the response is read.
        connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def throughput(port, path, cookie, *, seconds, concurrency):
    """Requests per second answered 200 by `concurrency` clients looping for `seconds`
    (bounded: at most `concurrency` requests in flight)."""
    done = [0] * concurrency
    errors = [0] * concurrency
    stop = time.monotonic() + seconds

    def client(index):
        while time.monotonic() < stop:
            try:
                ok = get(port, path, cookie) == 200
            except OSError:
                ok = False
            if ok:
                done[index] += 1
            else:
                errors[index] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    if sum(errors):
        raise RuntimeError(f"{sum(errors)} failed requests on {path}")
    return sum(done) / elapsed
