"""One GET straight into an ASGI app, as uvicorn would call it (no server, no sockets): the scripts that profile
the app in process (``profile_kept.py``, ``bench_trace_after_scans.py``)."""

from __future__ import annotations


async def call(app, path: str, auth: str = "") -> int:
    """``GET path`` (``auth``: an Authorization header) in Chinese, from 127.0.0.1; the response's status."""
    headers = [(b"host", b"bench"), (b"accept-language", b"zh-CN")]
    if auth:
        headers.append((b"authorization", auth.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]
