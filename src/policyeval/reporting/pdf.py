"""HTML to PDF with WeasyPrint (needs the system's Pango; see README, Reports).

The PDF is reproducible: WeasyPrint takes its dates from the HTML
``<meta name="dcterms.created">`` (the memo date, never the clock) and derives
the document identifier from the content, so the same HTML gives the same bytes.

The renderer fetches nothing: its URL fetcher serves only ``data:`` URIs (the
memo's charts are inline SVG, its CSS inline) and refuses every other scheme and
host (``file:``, ``http:``...). A template asking for anything else (a
stylesheet, an image, an attachment) stops the PDF with an exit-2 message.
"""

from __future__ import annotations

from typing import Any

from policyeval.errors import Issue, WorkspaceError


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (inline CSS and SVG) to PDF bytes.

    Raises
    ------
    WorkspaceError
        When WeasyPrint or the system libraries it needs are missing.
    """
    try:
        import weasyprint
    except (ImportError, OSError) as err:
        raise WorkspaceError(
            [
                Issue(
                    "pdf-unavailable",
                    f"cannot write PDF: WeasyPrint is not usable ({err}). Install it with "
                    "`pip install weasyprint` and the system libraries libpango-1.0-0 and "
                    "libpangoft2-1.0-0, or choose --format md or html",
                    "",
                    "--format",
                )
            ]
        ) from err
    import logging

    from weasyprint.urls import FatalURLFetchingError

    refused: list[str] = []
    fetcher = data_only_fetcher(refused)
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a refused URL is reported below, not as a warning
    try:
        # PDF/UA-1: a tagged PDF (structure tree, document language and title) for screen readers
        page = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
        return page.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as err:
        shown = refused[0] if refused else str(err)
        raise WorkspaceError(
            [
                Issue(
                    "template-unsafe",
                    f"the memo asks the PDF renderer to load '{shown[:120]}'; a memo may load "
                    "nothing (only data: URIs); remove the link from the template",
                    "reports/templates/",
                    "",
                )
            ]
        ) from err
    finally:
        quiet.setLevel(level)


def data_only_fetcher(refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that serves only ``data:`` URIs.

    Any other URL is appended to ``refused`` and stops the rendering
    (``FatalURLFetchingError``).
    """
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                refused.append(url)
                raise ValueError(f"refused to fetch {url[:120]}")
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
