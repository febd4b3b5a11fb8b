"""``policyeval serve``: a local weighting page for a briefing.

:func:`make_server` builds a standard-library HTTP server bound to
127.0.0.1 that serves one static page (vanilla JS and CSS shipped in
``static/``, nothing loaded from the network) and a small JSON API
(:mod:`policyeval.serve.api`).
"""

from __future__ import annotations

from policyeval.serve.server import HOST, PORT, BriefingServer, make_server

__all__ = ["HOST", "PORT", "BriefingServer", "make_server"]
