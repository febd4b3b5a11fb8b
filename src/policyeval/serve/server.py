"""A small local HTTP server for the briefing page (standard library only).

``ThreadingHTTPServer`` serves the static page shipped in ``static/`` and a
JSON API (see :mod:`policyeval.serve.api`):

- ``GET /api/state``: workspace, criteria, value tree, profiles and weights
  (the workspace is read again, so edits on disk show after a page reload);
- ``POST /api/rank``: every method's ranking and the robustness at some weights;
- ``POST /api/profiles``: save the weights as ``criteria/weights/<id>.yaml``;
- ``GET /api/memo?format=md|html&profile=ID[&weights=JSON]``: the memo, as an attachment.

Bad input gives ``400 {"error", "issues"}``; anything unexpected gives
``500 {"error"}`` (the traceback goes to the server's log, never to the page).
It binds to 127.0.0.1 only, answers only requests addressed to that host
(no DNS rebinding), takes only ``application/json`` POSTs (a foreign page
cannot post without a CORS preflight, which is never granted), and its
Content-Security-Policy lets the page load nothing from elsewhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from policyeval.errors import WorkspaceError
from policyeval.reporting.provenance import default_date
from policyeval.serve import api

if TYPE_CHECKING:
    from policyeval.model import Workspace

HOST = "127.0.0.1"
PORT = 8765
MAX_BODY = 1 << 20
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
}
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
log = logging.getLogger("policyeval.serve")


class BriefingServer(ThreadingHTTPServer):
    """The HTTP server, holding the workspace folder and its last good load."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        workspace: Path,
        memo_samples: int = api.MEMO_SAMPLES,
        date: Callable[[], str] = default_date,
    ) -> None:
        from policyeval.io import load_workspace

        self.root = Path(workspace)
        self.workspace: Workspace = load_workspace(self.root)  # fail before listening
        self.memo_samples = memo_samples
        self.date = date
        super().__init__(address, Handler)

    def reload(self) -> Workspace:
        """Load the workspace again (raises WorkspaceError) and keep it."""
        from policyeval.io import load_workspace

        self.workspace = load_workspace(self.root)
        return self.workspace

    @property
    def url(self) -> str:
        """The page's address."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the static page and the JSON API."""

    server: BriefingServer
    server_version = "policyeval-serve"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Log requests at debug level instead of printing them."""
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        """Static files, ``/api/state`` and ``/api/memo``."""
        self._guarded(self._get)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        """``/api/rank`` and ``/api/profiles``."""
        self._guarded(self._post)

    def _guarded(self, route: Callable[[str], None]) -> None:
        """Run a route; map errors to JSON responses."""
        path = urlsplit(self.path).path
        try:
            if not self._host_ok():
                msg = "this server answers only to 127.0.0.1 or localhost"
                self._json({"error": msg, "issues": []}, 403)
                return
            route(path)
        except WorkspaceError as err:
            issues = [
                {
                    "code": i.code,
                    "message": i.message,
                    "file": i.file,
                    "entry": i.entry,
                    "text": str(i),
                }
                for i in err.issues
            ]
            self._json({"error": "; ".join(str(i) for i in err.issues), "issues": issues}, 400)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("the client left before the answer to %s %s", self.command, path)
        except Exception as err:  # noqa: BLE001 - never send a traceback to the page
            log.exception("internal error on %s %s", self.command, path)
            self._json({"error": f"internal error: {type(err).__name__}", "issues": []}, 500)

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        return host in ("127.0.0.1", "localhost", "::1")

    def _get(self, path: str) -> None:
        if path in STATIC:
            name, ctype = STATIC[path]
            body = resources.files("policyeval.serve").joinpath("static", name).read_bytes()
            self._send(body, ctype)
        elif path == "/api/state":
            self._json(api.state(self.server.reload()))
        elif path == "/api/memo":
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            name, ctype, body = api.memo(
                self.server.workspace, query, self.server.date(), self.server.memo_samples
            )
            self._send(body, ctype, {"Content-Disposition": f'attachment; filename="{name}"'})
        else:
            self._json({"error": f"not found: {path}", "issues": []}, 404)

    def _post(self, path: str) -> None:
        if path not in ("/api/rank", "/api/profiles"):
            self._json({"error": f"not found: {path}", "issues": []}, 404)
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            msg = "send JSON with Content-Type: application/json"
            self._json({"error": msg, "issues": []}, 415)
            return
        body = self._body()
        if path == "/api/rank":
            self._json(api.rank(self.server.workspace, body))
        else:
            saved = api.save_profile(self.server.root, body)
            self.server.reload()
            self._json(saved, 201)

    def _body(self) -> Any:
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_BODY:
            raise api.bad_request(f"the request body must be 0 to {MAX_BODY} bytes")
        try:
            return json.loads(self.rfile.read(size) or b"null")
        except ValueError as err:
            raise api.bad_request(f"the request body is not valid JSON: {err}") from err

    def _json(self, data: Any, status: int = 200) -> None:
        body = json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
        self._send(body, "application/json; charset=utf-8", status=status)

    def _send(
        self,
        body: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
        status: int = HTTPStatus.OK,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def make_server(
    workspace: Path, port: int = PORT, host: str = HOST, **options: Any
) -> BriefingServer:
    """A server for ``workspace`` bound to ``host:port`` (port 0: any free port).

    ``options``: ``memo_samples`` and ``date`` (a callable giving the memo date).

    Raises
    ------
    WorkspaceError
        The workspace does not load, or the port cannot be used.
    """
    try:
        return BriefingServer((host, port), workspace, **options)
    except OSError as err:
        raise api.bad_request(
            f"cannot listen on {host}:{port} ({err.strerror or err}); choose another --port",
            "--port",
        ) from err
