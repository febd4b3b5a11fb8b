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
Content-Security-Policy lets the page load nothing from elsewhere. Every POST
must also carry the per-run token embedded in the served page (header
``X-Policyeval-Token``) and come from no Origin or the page's own, so another
site the analyst visits cannot drive it. Bodies are capped at ``MAX_BODY``;
idle connections time out after ``TIMEOUT`` seconds and at most
``MAX_CONNECTIONS`` are served at once, so a hung client blocks no one; saves
run one at a time and never replace a profile without ``overwrite`` (409).
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
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
TIMEOUT = 15
"""Seconds a connection may stay silent before it is closed."""
MAX_CONNECTIONS = 256
"""Connections served at once; more are closed at once (file descriptors stay available)."""
TOKEN_HEADER = "X-Policyeval-Token"
TOKEN_META = '<meta name="policyeval-token" content="{}">'
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/charts.js": ("charts.js", "text/javascript; charset=utf-8"),
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
    request_queue_size = 128  # socketserver's 5 resets bursts of parallel saves

    def __init__(
        self,
        address: tuple[str, int],
        workspace: Path,
        memo_samples: int = api.MEMO_SAMPLES,
        date: Callable[[], str] = default_date,
    ) -> None:
        from policyeval.io import load_workspace
        from policyeval.io.writer import remove_leftovers

        self.root = Path(workspace)
        self.workspace: Workspace = load_workspace(self.root)  # fail before listening
        # what a kill -9 during an earlier session's save left behind (never read, but clutter)
        self.removed = remove_leftovers(self.root / "criteria" / "weights")
        self.memo_samples = memo_samples
        self.date = date
        self.token = secrets.token_urlsafe(32)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve in a thread, or close at once when ``MAX_CONNECTIONS`` are busy."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Handle one connection and free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def origins(self) -> set[str]:
        """The Origin values of the page itself."""
        port = self.server_address[1]
        return {f"http://{host}:{port}" for host in ("127.0.0.1", "localhost", "[::1]")}

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
    timeout = TIMEOUT

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
            status = 409 if any(i.code == "profile-exists" for i in err.issues) else 400
            self._json({"error": "; ".join(str(i) for i in err.issues), "issues": issues}, status)
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
            if name == "index.html":  # the per-run token the page sends with every POST
                meta = TOKEN_META.format(self.server.token).encode()
                body = body.replace(b'<meta charset="utf-8">', b'<meta charset="utf-8">' + meta)
            self._send(body, ctype)
        elif path == "/api/state":
            self._json(api.state(self.server.reload()))
        elif path == "/api/memo":
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            name, ctype, body = api.memo(
                self.server.workspace, query, self.server.date(), self.server.memo_samples
            )
            safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
            self._send(body, ctype, {"Content-Disposition": f'attachment; filename="{safe}"'})
        else:
            self._json({"error": f"not found: {path}", "issues": []}, 404)

    def _post(self, path: str) -> None:
        if path not in ("/api/rank", "/api/profiles"):
            self._json({"error": f"not found: {path}", "issues": []}, 404)
            return
        if not self._same_origin():
            msg = "requests from other sites are refused; use the page this server serves"
            self._json({"error": msg, "issues": []}, 403)
            return
        if not hmac.compare_digest(self.headers.get(TOKEN_HEADER) or "", self.server.token):
            msg = "missing or wrong page token; reload the page this server serves"
            self._json({"error": msg, "issues": []}, 403)
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

    def _same_origin(self) -> bool:
        """No Origin (not a browser) or the page's own; never a cross-site fetch."""
        origin = self.headers.get("Origin")
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return False
        return origin is None or origin in self.server.origins()

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
        except RecursionError as err:
            raise api.bad_request("the request body is nested too deeply") from err

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
