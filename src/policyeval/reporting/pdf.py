"""HTML to PDF: the memo's page typeset by Typst as a tagged PDF/UA-1 (no system library).

:func:`policyeval.reporting.typeset.typeset` turns the page into Typst source, and the
``typst`` wheel compiles it, in a Python process of its own: Typst keeps worker threads
after its first compile, and a process forked after that (:mod:`policyeval.forked`)
would wait for ever for threads it does not have.

The PDF is reproducible on any machine: its only fonts are the DejaVu fonts that
matplotlib ships (the system's fonts are not looked at), its date is the memo's date
(``<meta name="dcterms.created">``, never the clock; none without one), and the same
page gives the same bytes. Typst reads nothing but the source: every text and image of
the page is a literal in it, and a page asking for anything but ``data:`` images stops
with an exit-2 message.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from functools import cache
from pathlib import Path

from policyeval.errors import Issue, WorkspaceError

_COMPILE = """
import sys, typst
fonts = sys.argv[1]
try:
    pdf = typst.compile(sys.stdin.buffer.read(), root=sys.argv[2], pdf_standards=["ua-1"],
                        font_paths=[fonts] if fonts else [], ignore_system_fonts=bool(fonts))
except typst.TypstError as err:
    sys.stderr.write(err.message)
    sys.exit(3)
sys.stdout.buffer.write(pdf)
"""


@cache
def fonts() -> str:
    """The folder of the DejaVu fonts that matplotlib ships (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        ttf = Path(folder) / "mpl-data" / "fonts" / "ttf"
        if (ttf / "DejaVuSans.ttf").is_file():
            return str(ttf)
    return ""


def html_to_pdf(html: str) -> bytes:
    """Typeset a self-contained HTML page (inline CSS, ``data:`` images) as PDF bytes.

    Raises
    ------
    WorkspaceError
        When the page asks for anything but ``data:`` images, or Typst refuses the page.
    """
    from policyeval.reporting.typeset import typeset

    source = typeset(html).encode()
    root = str(Path(__file__).parent / "templates")  # Typst may read only there; it reads nothing
    done = subprocess.run(
        [sys.executable, "-c", _COMPILE, fonts(), root],
        input=source, capture_output=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkspaceError([Issue(
            "pdf-typeset",
            f"cannot typeset the memo as PDF: {why[-1] if why else 'Typst failed'}; check "
            "the template's images (SVG, PNG, JPEG or GIF data: URIs) or choose --format md "
            "or html",
            "reports/templates/", "--format")])  # fmt: skip
    return done.stdout
