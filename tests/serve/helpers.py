"""A briefing server on an ephemeral port, run in a thread, and a tiny HTTP client."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from policyeval.serve import BriefingServer, make_server
from policyeval.serve.server import TOKEN_HEADER

MEMO_DATE = "2026-01-02"


@contextmanager
def running(workspace: Path, **options: Any) -> Iterator[BriefingServer]:
    """Serve ``workspace`` on 127.0.0.1 and a free port until the block ends."""
    options = {"memo_samples": 256, "date": lambda: MEMO_DATE, **options}
    server = make_server(workspace, 0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def call(
    server: BriefingServer,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """``(status, headers, body)`` of a GET, or of a JSON POST when ``body``/``raw`` is given.

    POSTs carry the server's page token (``headers`` may replace it)."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    head = {"Content-Type": "application/json", TOKEN_HEADER: server.token} if data else {}
    head.update(headers or {})
    req = urllib.request.Request(server.url.rstrip("/") + path, data=data, headers=head)
    try:
        with urllib.request.urlopen(req, timeout=120) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


def call_json(server: BriefingServer, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
    """``(status, parsed JSON body)``."""
    status, _, data = call(server, path, body, **kw)
    return status, json.loads(data)
