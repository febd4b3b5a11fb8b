"""The HTML memo as Typst source: the page's elements typeset for print (PDF memos).

A memo's PDF is its HTML page typeset by Typst (:mod:`policyeval.reporting.pdf`):
headings, paragraphs, lists, tables, figures and the memo's boxes and badges become
their Typst counterparts, styled like the page (:data:`PREAMBLE`). From the page's CSS
the print takes the page margins, the base font size, the line height and the charts'
largest height (the last rule of each wins, as in CSS); other CSS does not reach it.

Every text of the page enters the source as a Typst string literal (``#"..."``),
never as markup or code, so nothing a template or a workspace writes can run in
Typst. Images are ``data:`` URIs only (:func:`loads` lists what a page asks for beyond
them), inside the source as bytes literals.
"""

from __future__ import annotations

import base64
import re
import string
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

from policyeval.errors import Issue, WorkspaceError
from policyeval.reporting.format import column_widths

PREAMBLE = r"""
#let ink = rgb("#1a1a1a")
#let navy = rgb("#1f4e79")
#let grey = rgb("#555555")
#let rule = rgb("#dddddd")
#set text(font: "DejaVu Sans", size: ${size}pt, fill: ink, hyphenate: false, lang: "${lang}",
  top-edge: "ascender", bottom-edge: "descender")
#set par(leading: ${leading}em, spacing: ${spacing}em)
#set block(spacing: ${spacing}em)
#set page(paper: "a4",
  margin: (top: ${top}pt, right: ${right}pt, bottom: ${bottom}pt, left: ${left}pt),
  footer: context align(center, text(size: 8pt, fill: rgb("#666666"),
    counter(page).display("1 / 1", both: true))))
#set list(indent: .4em, body-indent: .5em, spacing: ${item}em)
#set enum(indent: .4em, body-indent: .5em, spacing: ${item}em)
#show list: set block(above: ${lists}em, below: ${lists}em)
#show enum: set block(above: ${lists}em, below: ${lists}em)
#show heading: set text(fill: navy, weight: "bold")
#show heading: set block(spacing: 0em)
#show heading.where(level: 1): it => block(above: 0pt, below: ${h1b}pt, sticky: true,
  text(size: ${h1}pt, it.body))
#show heading.where(level: 2): it => block(above: ${h2a}pt, below: ${h2b}pt, width: 100%,
  stroke: (bottom: .75pt + rgb("#c9d6e6")), inset: (bottom: .2em), sticky: true,
  text(size: ${h2}pt, it.body))
#show heading.where(level: 3): it => block(above: ${h3a}pt, below: ${h3b}pt, sticky: true,
  text(size: ${h3}pt, fill: ink, it.body))
#set table(inset: (x: .4em, y: .25em), stroke: (x, y) => (bottom: .5pt + rule), align: left + top)
#show table: set text(size: .85em)
#show table: set par(leading: .14em)
#show table: set block(above: .6em, below: 1em)
#show raw: set text(font: "DejaVu Sans Mono", size: 1.0625em)
#set figure(numbering: none, supplement: none, gap: .4em)
#show figure.caption: it => block(width: 100%, align(left, it.body))
#show figure.caption: set text(size: .88em, fill: rgb("#444444"))
#show figure: set block(above: 1em, below: 1em)
#let pe-sub(body) = text(style: "italic", fill: grey, body)
#let pe-src(body) = text(size: .92em, fill: grey, body)
#let pe-head(body) = text(size: 1.08em, body)
#let pe-badge(colour, body) = box(fill: colour, inset: (x: .45em, y: .15em), outset: (y: .1em),
  radius: 2pt, baseline: -.1em, text(size: .7em, fill: white, weight: "bold", tracking: .05em,
  upper(body)))
#let pe-box(body) = block(fill: rgb("#f4f8fc"), stroke: .75pt + rgb("#c9d6e6"), radius: 4pt,
  inset: (x: 1em, top: .3em, bottom: .8em), width: 100%, body)
#let pe-members(..items) = {
  let xs = items.pos()
  let half = calc.ceil(xs.len() / 2)
  text(size: .92em, grid(columns: (1fr, 1fr), column-gutter: 2em,
    list(..xs.slice(0, half)), list(..xs.slice(half))))
}
"""
"""The memo's print style, the page's CSS in Typst; ``$name`` is filled from the page."""

BADGES = {"firm": "#007a5a", "qualified": "#8a5a00", "fragile": "#b33c00"}
"""Verdict badge colours (the page's ``.badge-*``)."""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SKIP = {"head", "style", "script", "title", "template", "noscript", "svg"}
INLINE = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "img", "kbd", "q", "s", "samp",
          "small", "span", "strong", "sub", "sup", "time", "u", "var", "mark", "dfn"}  # fmt: skip
DEPTH = 40
"""Elements nested deeper than this are typeset as part of their parent (a page from a
workspace template could nest thousands; Typst and Python both limit nesting)."""
PT = {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0}
A4_WIDTH = 595.28


@dataclass
class Node:
    """An element of the page: its tag, attributes and children (nodes and texts)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str) -> Node | None:
        return next(iter(_all(self, tag)), None)


class _Tree(HTMLParser):
    """An HTML page as a tree of :class:`Node` (end tags missing or stray are forgiven)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID and len(self.open) < DEPTH:  # deeper: its content joins its parent
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, 0, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str) -> Node:
    """The page ``html`` as a tree of :class:`Node`."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def _str(text: str) -> str:
    r"""``text`` as a Typst string literal (in code: an argument).

    Examples
    --------
    >>> print(_str('say "#read" \\ then'))
    "say \"#read\" \\ then"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _lit(text: str) -> str:
    """``text`` shown as text in markup (a string literal: nothing in it is markup or code)."""
    return "#" + _str(text)


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _width(text: str) -> float:
    """About how many average characters wide ``text`` is (capitals and digits are wider)."""
    return len(text) + 0.3 * sum(c.isupper() or c.isdigit() for c in text)


def _svg_size(svg: bytes) -> tuple[float, float] | None:
    """An SVG's width and height in points (from its ``width`` and ``height``), or None."""
    head = svg[:4000].decode("utf-8", "replace")
    w = re.search(r'<svg[^>]*\swidth="([\d.]+)(pt|px)?"', head)
    h = re.search(r'<svg[^>]*\sheight="([\d.]+)(pt|px)?"', head)
    if not (w and h) or float(w[1]) <= 0 or float(h[1]) <= 0:
        return None
    return float(w[1]) * PT[w[2] or "px"], float(h[1]) * PT[h[2] or "px"]


def _raster_size(data: bytes) -> tuple[float, float] | None:
    """A PNG, JPEG or GIF picture's size in points (a pixel a CSS px), or None when
    Pillow cannot read it."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            w, h = picture.size
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return (w * PT["px"], h * PT["px"]) if w > 0 and h > 0 else None


def loads(root: Node, css: str) -> list[str]:
    """What a page asks to load from outside itself (anything but ``data:`` URIs): images,
    stylesheets, objects and frames, and the ``url()`` and ``@import`` of its CSS."""
    found = []
    for n in _all(root, None):
        for attr in ("src", "data", "poster", "srcset", "background"):
            if (v := n.attrs.get(attr, "").strip()) and not v.lower().startswith("data:"):
                found.append(v)
        href = n.attrs.get("href", "").strip()
        if n.tag == "link" and href and not href.lower().startswith("data:"):
            found.append(href)
    for m in re.finditer(r"url\(\s*['\"]?([^'\")]*)|@import\s+['\"]([^'\"]*)", css, flags=re.I):
        target = (m[1] if m[1] is not None else m[2] or "").strip()
        if not target.lower().startswith("data:"):
            found.append(target or m[0])
    return found


def _span(cell: Node) -> int:
    """How many columns a table cell spans (``colspan``; 1 when absent or not a number)."""
    span = cell.attrs.get("colspan", "").strip()
    return max(int(span), 1) if span.isdigit() else 1


def _trim(nodes: list[Node | str]) -> list[Node | str]:
    """Inline ``nodes`` without the white space at their start and end (a paragraph's)."""
    nodes = list(nodes)
    while nodes and isinstance(nodes[0], str) and not nodes[0].strip():
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], str) and not nodes[-1].strip():
        nodes.pop()
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip()
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip()
    return nodes


def _length(value: str, font: float) -> float | None:
    """A CSS length in points (``em`` and ``rem`` of ``font``), or None."""
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*(pt|px|mm|cm|in|pc|em|rem)?\s*", value)
    if not m:
        return None
    unit = m[2] or "px"
    return float(m[1]) * (font if unit in ("em", "rem") else PT[unit])


_AT_BLOCK = re.compile(r"@(media|page|font-face|supports)[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SPACED = {"p": 1.0, "ul": 1.0, "h2": 1.25, "h3": 1.05}
"""Elements whose vertical margins the print takes, with their font size (em of the text)."""


@dataclass
class Print:
    """What the print takes from the page's CSS (the last rule of each wins)."""

    size: float = 10.0
    margins: tuple[float, float, float, float] = (18 * PT["mm"], 16 * PT["mm"]) * 2
    line_height: float = 1.45
    chart_height: float = 21 * PT["cm"]
    spacing: dict[str, list[float]] = field(default_factory=lambda: {
        "p": [1.0, 1.0], "ul": [1.0, 1.0], "h2": [1.4, 0.5], "h3": [1.1, 0.4]})  # fmt: skip

    @classmethod
    def of(cls, css: str) -> Print:
        """The print settings of a page's CSS (``html`` font size, ``body`` line height,
        ``@page`` margins, vertical margins of paragraphs, lists and headings, and the
        charts' ``max-height``)."""
        p = cls()
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        for m in _AT_BLOCK.finditer(css):
            if m[1] == "page":
                own = re.sub(r"\{[^{}]*\}", "", m[0][m[0].index("{") + 1 :])
                if mm := re.search(r"(?:^|;)\s*margin:\s*([^;}]+)", own):
                    p._page_margins(mm[1])
        for m in _RULE.finditer(_AT_BLOCK.sub("", css)):
            decls = dict(
                (k.strip().lower(), v.strip())
                for k, _, v in (d.partition(":") for d in m[2].split(";"))
                if v.strip()
            )
            for sel in (s.strip() for s in m[1].split(",")):
                p._apply(re.sub(r"\s+", " ", sel), decls)
        return p

    def _page_margins(self, value: str) -> None:
        parts = [_length(v, self.size) for v in value.split()]
        if not parts or len(parts) > 4 or any(v is None for v in parts):
            return
        t, r, b, left = ((parts * 4)[:4] if len(parts) == 1
                         else [*parts, *parts][:4] if len(parts) == 2
                         else [parts[0], parts[1], parts[2], parts[1]] if len(parts) == 3
                         else parts)  # fmt: skip
        self.margins = (t, r, b, left)  # type: ignore[assignment]

    def _apply(self, sel: str, decls: dict[str, str]) -> None:
        if sel == "html" and "font-size" in decls:
            self.size = _length(decls["font-size"], self.size) or self.size
        if sel == "body" and re.fullmatch(r"[\d.]+", decls.get("line-height", "")):
            self.line_height = float(decls["line-height"])
        if sel in ("figure.chart img", "figure.chart svg") and "max-height" in decls:
            self.chart_height = _length(decls["max-height"], self.size) or self.chart_height
        if sel in _SPACED:
            top, bottom = self.spacing[sel]
            if "margin" in decls:
                ems = [float(v[:-2]) if re.fullmatch(r"[\d.]+em", v) else 0.0
                       for v in decls["margin"].split()]  # fmt: skip
                top, bottom = ems[0], ems[2] if len(ems) > 2 else ems[0]
            for side in ("top", "bottom"):
                v = decls.get(f"margin-{side}", "")
                if re.fullmatch(r"[\d.]+em", v):
                    top, bottom = (float(v[:-2]), bottom) if side == "top" else (top, float(v[:-2]))
            self.spacing[sel] = [top, bottom]

    def space(self, sel: str, side: int) -> float:
        """The vertical margin (0: above, 1: below) of ``sel``, in em of the text."""
        return self.spacing[sel][side] * _SPACED[sel]

    @property
    def text_width(self) -> float:
        return A4_WIDTH - self.margins[1] - self.margins[3]


class _Writer:
    """Writes a page's body as Typst markup."""

    def __init__(self, style: Print) -> None:
        self.style = style

    # blocks ---------------------------------------------------------------------------------
    def flow(self, nodes: list[Node | str]) -> str:
        """Block content: runs of text and inline elements become paragraphs."""
        out: list[str] = []
        run: list[Node | str] = []
        for n in [*nodes, Node("#end")]:
            if isinstance(n, str) or n.tag in INLINE:
                run.append(n)
                continue
            if para := self.inline(_trim(run)):
                out.append(para)
            run = []
            if n.tag != "#end" and (block := self.block(n)):
                out.append(block)
        return "\n\n".join(out)

    def block(self, n: Node) -> str:
        tag, cls = n.tag, n.classes()
        if tag in SKIP:
            return ""
        if m := re.fullmatch(r"h([1-6])", tag):
            return f"#heading(level: {m[1]})[{self.inline(_trim(n.children))}]"
        if tag == "p":
            body = self.inline(_trim(n.children))
            if not body:
                return ""
            for name, fn in (("sub", "pe-sub"), ("src", "pe-src"), ("headline", "pe-head")):
                if name in cls:
                    return f"#{fn}[{body}]"
            return body
        if tag in ("ul", "ol"):
            return self.items(n)
        if tag == "table":
            return self.table(n)
        if tag == "figure":
            return self.figure(n)
        if tag == "dl":
            return self.terms(n)
        if tag == "hr":
            return "#line(length: 100%, stroke: .5pt + rule)"
        if tag == "pre":
            return f"#raw(block: true, {_str(n.text())})"
        body = self.flow(n.children)
        if "bottom-line" in cls:
            return f"#pe-box[{body}]"
        if "appendix" in cls:
            return f"#pagebreak(weak: true)\n\n{body}"
        return body

    def items(self, n: Node) -> str:
        lis = [c for c in n.children if isinstance(c, Node) and c.tag == "li"]
        if not lis:
            return ""
        if "members" in n.classes():
            return "#pe-members(" + ", ".join(f"[{self.flow(li.children)}]" for li in lis) + ")"
        size = ".95em" if "evidence" in n.classes() else "1em"
        if n.tag == "ul":
            body = ", ".join(f"[{self.flow(li.children)}]" for li in lis)
            return f"#text(size: {size}, list(tight: true, {body}))"
        start = int(n.attrs["start"]) if n.attrs.get("start", "").isdigit() else 1
        parts = []
        for i, li in enumerate(lis):
            value = li.attrs.get("value", "")
            number = int(value) if value.isdigit() else start + i
            parts.append(f"enum.item({number})[{self.flow(li.children)}]")
        return f"#text(size: {size}, enum(tight: true, {', '.join(parts)}))"

    def terms(self, n: Node) -> str:
        items, term = [], ""
        for c in n.children:
            if isinstance(c, Node) and c.tag == "dt":
                term = self.inline(_trim(c.children))
            elif isinstance(c, Node) and c.tag == "dd":
                items.append(f"terms.item(strong[{term}], [{self.flow(c.children)}])")
                term = ""
        if not items:
            return ""
        return ("#terms(separator: linebreak(), hanging-indent: 1.5em, spacing: .8em, "
                + ", ".join(items) + ")")  # fmt: skip

    def table(self, n: Node) -> str:
        rows: list[tuple[Node, bool]] = []  # (row, in the head)

        def collect(parent: Node, head: bool) -> None:
            for c in parent.children:
                if isinstance(c, Node):
                    if c.tag == "tr":
                        rows.append((c, head))
                    elif c.tag in ("thead", "tbody", "tfoot"):
                        collect(c, c.tag == "thead")

        collect(n, False)
        if not rows:
            return ""
        kv = "kv" in n.classes()
        grid = [[c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")]
                for r, _ in rows]  # fmt: skip
        width = min(max(sum(map(_span, r)) for r in grid), 100)
        if width == 0:
            return ""
        cols, crowded = self.columns(grid, [h for _, h in rows], width)
        head, body = [], []
        for (row, in_head), cells in zip(rows, grid):
            grey = "baseline" in row.classes()
            out = head if in_head else body
            for c in cells:
                content = self.flow(c.children)
                if grey:
                    content = f"#text(fill: grey)[{content}]"
                if c.tag == "th" and not kv:
                    content = f"#strong[{content}]"
                args = []
                if "num" in c.classes():
                    args.append("align: right")
                if in_head:
                    args.append("stroke: (bottom: 1.5pt + navy)")
                if _span(c) > 1:
                    args.append(f"colspan: {min(_span(c), width)}")
                out.append(f"table.cell({', '.join(args)})[{content}]" if args else f"[{content}]")
            out.extend("[]" for _ in range(width - sum(map(_span, cells))))
        header = f"table.header({', '.join(head)}), " if head else ""
        table = f"table(columns: ({cols},), {header}{', '.join(body)})"
        return f"#text(hyphenate: true, {table})" if crowded else f"#{table}"

    def columns(self, grid: list[list[Node]], head: list[bool], width: int) -> tuple[str, bool]:
        """Typst column widths: a column of numbers (``class="num"``) as wide as its
        numbers (and its heading's longest word, or half the heading, up to 14 characters,
        so that it takes at most about two lines), as CSS's ``width: 1%``; the columns of
        text share the rest by their text, as a browser shares it
        (:func:`~policyeval.reporting.format.column_widths`). Also whether the columns'
        longest words do not fit across the page (their words may then be hyphenated)."""
        char = 0.55 * 0.85 * self.style.size  # an average character of a table, in pt
        texts = [[_space(c.text()).strip() for c in r] + [""] * (width - len(r)) for r in grid]
        body = [(r, t) for r, t, h in zip(grid, texts, head) if not h]
        numeric = [bool(body) and all(j < len(r) and "num" in r[j].classes() for r, _ in body)
                   for j in range(width)]  # fmt: skip
        fixed = {}
        for j in (j for j in range(width) if numeric[j]):
            words = [w for t in texts for w in t[j].split()] + [t[j] for _, t in body]
            heads = [min(_width(t[j]) / 2, 14) for t, h in zip(texts, head) if h]  # two lines
            fixed[j] = (max([*map(_width, words), *heads], default=1) + 2.5) * char
        free = [j for j in range(width) if j not in fixed]
        room = (self.style.text_width - sum(fixed.values())) / char
        free_texts = [[t[j] for j in free] for t in texts]
        shares = column_widths(free_texts, room, _width, cap=room) if free else []
        share = dict(zip(free, shares))
        cols = ", ".join(f"{fixed[j]:.1f}pt" if j in fixed else f"{share[j]:.2f}fr"
                         for j in range(width))  # fmt: skip
        least = column_widths(free_texts, 0, _width) if free else []
        return cols, sum(least) > room

    def figure(self, n: Node) -> str:
        img = n.find("img")
        caption = n.find("figcaption")
        picture = self.image(img) if img is not None else ""
        if not picture:
            return self.flow(n.children)
        if caption is None:
            return f"#figure({picture})"
        return f"#figure({picture}, caption: [{self.inline(_trim(caption.children))}])"

    def image(self, img: Node) -> str:
        """An ``<img>`` of a ``data:`` URI as a Typst ``image(...)`` call, at its own size
        (at most the text's width and the charts' height); a picture that cannot be read
        shows nothing, as in a browser (other sources are refused before, by :func:`loads`)."""
        src, alt = img.attrs.get("src", ""), _space(img.attrs.get("alt", "")).strip()
        m = re.match(r"data:image/(svg\+xml|png|jpeg|gif)(;base64)?,", src, flags=re.I)
        if not m:
            return ""
        payload = src[m.end() :]
        try:
            data = (base64.b64decode(payload) if m[2] else
                    urllib.parse.unquote_to_bytes(payload))  # fmt: skip
        except ValueError:
            return ""
        kind = {"svg+xml": "svg", "jpeg": "jpg"}.get(m[1].lower(), m[1].lower())
        size = _svg_size(data) if kind == "svg" else _raster_size(data)
        if size is None:
            return ""
        w, h = size
        width = min(w, self.style.text_width, self.style.chart_height * w / h)
        if kind == "svg":  # text: a string literal
            source = f"bytes({_str(data.decode('utf-8', 'replace'))})"
        else:
            source = f"bytes(({', '.join(map(str, data))},))"
        return (f'image({source}, format: "{kind}", width: {width:.1f}pt, '
                f"alt: {_str(alt or 'Image')})")  # fmt: skip

    # inline ---------------------------------------------------------------------------------
    def inline(self, nodes: list[Node | str]) -> str:
        out = []
        for n in nodes:
            if isinstance(n, str):
                if text := _space(n):
                    out.append(_lit(text))
                continue
            tag, cls = n.tag, n.classes()
            if tag in SKIP:
                continue
            if tag == "br":
                out.append("#linebreak()")
            elif tag == "img" and (picture := self.image(n)):
                out.append(f"#{picture}")
            elif tag == "code":
                out.append(f"#raw({_str(_space(n.text()))})")
            elif tag in ("strong", "b"):
                out.append(f"#strong[{self.inline(n.children)}]")
            elif tag in ("em", "i", "cite", "dfn", "var"):
                out.append(f"#emph[{self.inline(n.children)}]")
            elif "badge" in cls:
                colour = next((v for k, v in BADGES.items() if f"badge-{k}" in cls), "#555555")
                out.append(f'#pe-badge(rgb("{colour}"))[{self.inline(_trim(n.children))}]')
            elif "src" in cls:
                out.append(f"#pe-src[{self.inline(n.children)}]")
            else:  # other inline elements, and a block inside a paragraph: their text
                out.append(self.inline(n.children))
        return "".join(out)


def typeset(html: str) -> str:
    """The page ``html`` as Typst source.

    Raises
    ------
    WorkspaceError
        When the page asks for anything but a ``data:`` image (a file, a web address).
    """
    root = parse(html)
    page = root.find("html") or root
    css = "\n".join(s.text() for s in _all(root, "style"))
    style = Print.of(css)
    if refused := loads(root, css):
        raise WorkspaceError([Issue(
            "template-unsafe",
            f"the memo asks the PDF renderer to load '{refused[0][:120]}'; a memo may load "
            "nothing (only data: URIs); remove the link from the template",
            "reports/templates/", "")])  # fmt: skip
    writer = _Writer(style)
    body = page.find("body") or page
    text = writer.flow(body.children)
    title = _space(t.text()).strip() if (t := root.find("title")) else ""
    lang = page.attrs.get("lang", "en") if page.tag == "html" else "en"
    created = next((m.attrs.get("content", "") for m in _all(root, "meta")
                    if m.attrs.get("name") == "dcterms.created"), "")  # fmt: skip
    date = "none"
    if d := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", created.strip()):
        date = f"datetime(year: {int(d[1])}, month: {int(d[2])}, day: {int(d[3])})"
    size = style.size
    leading = max(style.line_height - 1.164, 0.05)  # DejaVu Sans: ascender + descender 1.164 em

    def gap(sel: str, side: int) -> float:  # a CSS margin between line boxes, in em
        return style.space(sel, side) + leading

    def pt(em: float) -> str:
        return f"{em * size:.2f}"

    head = string.Template(PREAMBLE).substitute(
        size=f"{size:.2f}", lang=re.sub(r"[^A-Za-z-]", "", lang)[:12] or "en",
        leading=f"{leading:.2f}", spacing=f"{gap('p', 0):.2f}", item=f"{leading:.2f}",
        lists=f"{gap('ul', 0):.2f}",
        top=f"{style.margins[0]:.1f}", right=f"{style.margins[1]:.1f}",
        bottom=f"{style.margins[2]:.1f}", left=f"{style.margins[3]:.1f}",
        h1=pt(1.6), h1b=pt(0.2 * 1.6 + leading), h2=pt(1.25), h3=pt(1.05),
        h2a=pt(gap("h2", 0)), h2b=pt(gap("h2", 1)), h3a=pt(gap("h3", 0)), h3b=pt(gap("h3", 1)),
    )  # fmt: skip
    meta = f"#set document(title: {_str(title or 'Policy memo')}, date: {date})\n"
    return meta + head + "\n" + text + "\n"


def _all(node: Node, tag: str | None) -> list[Node]:
    """Every element under ``node`` named ``tag`` (None: every element), in page order."""
    found = []
    for c in node.children:
        if isinstance(c, Node):
            if tag is None or c.tag == tag:
                found.append(c)
            found.extend(_all(c, tag))
    return found
