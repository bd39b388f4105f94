"""One log format for web (gunicorn + Django) and workers (Celery): JSON lines, secrets masked.

Each line is one JSON object: `time` (UTC, ISO 8601, milliseconds), `level`, `logger`,
`message`, plus `exception` when there is one; gunicorn's access lines add `client_ip`,
`method`, `path` (query string included, masked), `status`, `bytes`, `duration_ms`,
`user_agent` and `referer`. Paths that are credentials (workplace-assessor links, password
activation/reset keys, email confirmation keys) and query-string values (searches on people)
are masked everywhere, in messages and tracebacks alike. No Django import: gunicorn's master
loads this module before Django is set up.
"""

import datetime
import json
import logging
import os
import re

from gunicorn.glogging import Logger

from ecertif.proxy import client_ip_from

MASK = "[masqué]"
# A path segment after these prefixes is a credential (invitation token, reset or confirm key).
SECRET_PATHS = re.compile(
    r"(?P<prefix>/evaluation-metier/|/comptes/password/reset/key/|/comptes/confirm-email/)"
    r"(?P<secret>[^\s?#\"'<>]+)"
)
# Query-string values are masked except these filters, which never name a person.
KEPT_PARAMETERS = frozenset(
    {"page", "sort", "o", "state", "status", "certification", "sector", "option", "year"}
)
QUERY_PARAMETER = re.compile(r"(?P<lead>[?&])(?P<name>[^=&\s?#\"'<>]+)=(?P<value>[^&\s#\"'<>]*)")


def _mask_parameter(match):
    if match["name"] in KEPT_PARAMETERS or not match["value"]:
        return match[0]
    return f"{match['lead']}{match['name']}={MASK}"


def mask_secrets(text):
    """`text` with every secret path segment and query-string value replaced by « [masqué] »."""
    if not text:
        return text
    text = SECRET_PATHS.sub(lambda match: f"{match['prefix']}{MASK}/", text)
    return QUERY_PARAMETER.sub(_mask_parameter, text)


class MaskSecretsFilter(logging.Filter):
    """Masks the formatted message of every record, whatever formats it afterwards."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


ACCESS_FIELDS = (
    "client_ip",
    "method",
    "path",
    "status",
    "bytes",
    "duration_ms",
    "user_agent",
    "referer",
)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_secrets(record.getMessage()),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class GunicornLogger(Logger):
    """gunicorn's error and access logs in the application's format (see gunicorn.conf.py)."""

    def setup(self, cfg):
        super().setup(cfg)
        # Python warnings become log lines too (logger « py.warnings »).
        logging.captureWarnings(True)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                handler.addFilter(MaskSecretsFilter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        query = environ.get("QUERY_STRING", "")
        path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        fields = {
            "client_ip": client_ip_from(
                remote_addr=environ.get("REMOTE_ADDR", ""),
                forwarded_for=environ.get("HTTP_X_FORWARDED_FOR", ""),
                trusted_proxies=int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0),
            ),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": mask_secrets(path),
            "status": int(status),
            "bytes": getattr(resp, "sent", None) or 0,
            "duration_ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "referer": mask_secrets(environ.get("HTTP_REFERER", "")),
        }
        try:
            self.access_log.info(
                "%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields
            )
        except Exception:
            self.exception("Journal d'accès impossible à écrire")
