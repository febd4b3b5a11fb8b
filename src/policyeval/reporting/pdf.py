"""HTML to PDF with WeasyPrint (needs the system's Pango; see README, Reports).

The PDF is reproducible: WeasyPrint takes its dates from the HTML
``<meta name="dcterms.created">`` (the memo date, never the clock) and derives
the document identifier from the content, so the same HTML gives the same bytes.
"""

from __future__ import annotations

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
    # PDF/UA-1: a tagged PDF (structure tree, document language and title) for screen readers
    return weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
