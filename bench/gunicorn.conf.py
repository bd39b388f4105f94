"""gunicorn settings of the benchmark (bench/load.py), instead of the production file
`gunicorn.conf.py` that gunicorn reads by default from the working directory: its worker
recycling (`max_requests` 2000) restarted a worker every few seconds under load, and the new
worker's first requests loaded the application again (more than a second each), which the
benchmark then measured. Workers and class come from the command line (2 sync workers)."""

max_requests = 0
accesslog = None
errorlog = "-"
loglevel = "warning"
