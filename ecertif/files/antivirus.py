"""clamd's INSTREAM command over TCP (`CLAMAV_URL=tcp://host:3310`): no client library needed."""

import socket
import struct
from urllib.parse import urlsplit

_CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


def scan(url, data):
    """The signature name clamd found in `data`, or "" when clean. OSError when unreachable."""
    parts = urlsplit(url)
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        raise OSError(f"CLAMAV_URL must look like tcp://host:port, not {url!r}")
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT_SECONDS) as sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), _CHUNK):
            chunk = data[start : start + _CHUNK]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            received = sock.recv(4096)
            if not received:
                break
            reply += received
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
    if answer.endswith("OK"):
        return ""
    raise OSError(f"clamd: {answer}")
