"""gunicorn settings for the web service (docker-compose.yml): `gunicorn -c gunicorn.conf.py`.

Sizing comes from the environment: WEB_CONCURRENCY processes × WEB_THREADS threads each.
"""

import os

wsgi_app = "ecertif.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
# Downloads and exports stream; a request stuck this long is killed and logged.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycled now and then, so that a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory: a container's /tmp may be a slow overlay.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Several gunicorns on one host (tests, scaled containers) must not share a control socket.
control_socket_disable = True

# One log format with the application (ecertif/logs.py): JSON lines, secrets masked, the real
# client address (TRUSTED_PROXY_COUNT) in the access log.
logger_class = "ecertif.logs.GunicornLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
