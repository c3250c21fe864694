"""gunicorn settings of ``geo serve`` (``gunicorn -c python:geo.serve.gunicorn_conf``): safe with slow and idle clients.

The asyncio worker holds each connection as a coroutine, so idle, slowloris and unclosed keep-alive
connections cost a file descriptor, not a worker (issue 16). ``geo.serve.asgi`` reads the body (size limit,
deadline) before pygeoapi's WSGI app runs in a thread. Bind address and worker count come from the command
line; ``geo serve`` passes them, and the app: the edge's ``omgevingsgeo.wsgi:create_app()``, which builds the
registry and hands it to ``geo.serve.server.create_app`` (the machinery names no application module).
"""

worker_class = "geo.serve.gunicorn_worker.HeaderDeadlineWorker"  # gunicorn's "asgi" worker + a first-header deadline
asgi_lifespan = "on"          # geo.serve.asgi answers it; a failing startup stops gunicorn instead of looping
keepalive = 5                 # s an idle kept-alive connection stays open after a response
timeout = 30                  # s without a heartbeat before the master restarts a worker (the event loop beats)
graceful_timeout = 10         # s to finish requests on stop/restart
limit_request_line = 8190     # bytes of the request line (long CQL2 filters in the query string)
limit_request_fields = 100    # header fields per request
limit_request_field_size = 8190
accesslog = "-"
loglevel = "warning"
