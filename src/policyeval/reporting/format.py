"""Numbers and names for people: percentages, amounts, lists, and titles instead of ids."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

METHOD_NAMES = {
    "wsm": "Weighted sum",
    "wpm": "Weighted product",
    "topsis": "TOPSIS",
    "vikor": "VIKOR",
    "promethee": "PROMETHEE II",
    "electre": "ELECTRE",
}

METHOD_ABBR = {"wsm": "WSM", "wpm": "WPM", "promethee": "PROMETHEE"}


def method_name(m: str) -> str:
    """A ranking method's name for people (the id when unknown)."""
    return METHOD_NAMES.get(m, m)


def pct(x: float | None, digits: int = 0) -> str:
    """A share as a percentage for people.

    Examples
    --------
    >>> pct(0.7349), pct(0.004), pct(None), pct(1.0)
    ('73%', '<1%', '—', '100%')
    """
    if x is None or not math.isfinite(x):
        return "—"
    if 0 < x < 0.005 * 10 ** (-digits):
        return f"<{10 ** (-digits):g}%"
    return f"{100 * x:.{digits}f}%"


def pp(x: float) -> str:
    """A difference of shares in percentage points.

    Examples
    --------
    >>> pp(0.0083), pp(0.1)
    ('0.8 percentage points', '10 percentage points')
    """
    return f"{num(100 * x, 1)} percentage points"


def num(x: float | None, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals, trailing zeros dropped.

    Examples
    --------
    >>> num(2.5), num(3.0), num(0.61834, 3), num(12345.6, 0)
    ('2.5', '3', '0.618', '12,346')
    """
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fixed(x: float | None, digits: int = 3) -> str:
    """A number with exactly ``digits`` decimals (a column of scores lines up).

    Examples
    --------
    >>> fixed(0.44), fixed(-0.0004), fixed(None)
    ('0.440', '0.000', '—')
    """
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def unit_label(unit: str) -> str:
    """The short form of a unit: a short word before parentheses, or a short one inside.

    Examples
    --------
    >>> unit_label("notional resource units (RU), same unit as cost"), unit_label("EUR m")
    ('RU', 'EUR m')
    >>> unit_label("RU (notional resource units)")
    'RU'
    """
    lead = re.match(r"\s*([^()]{1,8}?)\s*\(", unit)
    if lead:
        return lead.group(1)
    found = re.search(r"\(([^()]{1,12})\)", unit)
    return found.group(1) if found else unit.strip()


def amount(x: float | None, unit: str) -> str:
    """An amount of resources with its unit.

    Examples
    --------
    >>> amount(1250, "RU"), amount(7.5, "EUR m")
    ('1,250 RU', '7.5 EUR m')
    """
    return f"{num(x, 1)} {unit}".strip()


def listing(items: Sequence[str], conj: str = "and") -> str:
    """Join words as people do.

    Examples
    --------
    >>> listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


@dataclass(frozen=True)
class Names:
    """Titles of a case's options, packages, criteria and profiles, by id.

    ``plain(text)`` replaces every id that appears as a word in free text (a
    summary, a rationale, a warning) by its title in quotes, so that what a
    reader sees names things, never ids (see :meth:`ids`).
    """

    items: Mapping[str, str]
    criteria: Mapping[str, str]
    profiles: Mapping[str, str]

    def __call__(self, key: str) -> str:
        """The title of an option, package, criterion or profile id (the id when unknown)."""
        for table in (self.items, self.criteria, self.profiles):
            if key in table:
                return table[key]
        return key

    def ids(self) -> list[str]:
        """Every id that reads as an identifier, not a word (it holds ``_`` or a digit).

        An id such as ``returnees`` cannot be told apart from the word in prose.
        """
        keys = [*self.items, *self.criteria, *self.profiles]
        return [k for k in keys if re.search(r"[_\d]", k)]

    def plain(self, text: str) -> str:
        """``text`` with every id written as a word replaced by its title.

        Examples
        --------
        >>> Names({"d3_border": "Border force"}, {}, {}).plain("d3_border (not recommended)")
        '“Border force” (not recommended)'
        """
        keys = sorted(self.ids(), key=len, reverse=True)
        if not keys or not text:
            return text
        pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, keys)) + r")(?![\w])")
        return pattern.sub(lambda m: f"“{self(m.group(1))}”", text)


def column_widths(
    rows: Sequence[Sequence[str]],
    room: float,
    measure: Callable[[str], float] = len,
    cap: float = 40,
) -> list[float]:
    """Widths of a table's columns, in characters, from their text, as a browser lays them out.

    Every column gets room for its longest word (a short cell such as ``209 RU`` counts
    as one word) and what is left of ``room`` (the characters across the page) goes to
    the columns whose cells need more (up to ``cap`` characters), in proportion. Word and
    PDF memos size their tables this way; ``measure`` is a text's width in characters.

    Examples
    --------
    >>> column_widths([["#", "Package"], ["1", "All four recommendations"]], 60)
    [4.0, 26.0]
    """
    width = max((len(r) for r in rows), default=0)
    cols = list(zip(*(list(r) + [""] * (width - len(r)) for r in rows)))
    words = [[w for c in col for w in ([c] if len(c) <= 8 else c.split())] for col in cols]
    least = [max(map(measure, ws), default=1) + 3 for ws in words]
    want = [max(lo, min(max(measure(c) for c in col), cap) + 2) for lo, col in zip(least, cols)]
    extra = max(room - sum(least), 0.0) / max(sum(want) - sum(least), 1)
    return [lo + (w - lo) * min(extra, 1.0) for lo, w in zip(least, want)]
