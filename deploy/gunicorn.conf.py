"""gunicorn for the portal, behind the buffering proxy of deploy/nginx.conf.

Sync workers read a request only once the proxy has it whole: a client that sends
its body at 1 KB/s holds an nginx connection (cheap), never a worker. Without the
proxy two such uploads took every worker until gunicorn killed them.
Values come from the environment so the same file serves every machine.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# A request that takes this long is stuck (a PDF is rendered by Celery, not here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2
# Header sizes: nothing legitimate comes near these.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Replaces a worker now and then, against slow leaks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Only the proxy on this machine may say which scheme and client a request came with.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
