"""Small checkers that turn raw YAML values into typed values or Issues.

Every check appends to a shared list of :class:`~policyeval.errors.Issue` and
returns a usable value (or None), so that a loader can go on and report every
problem of a file in one pass. Kept free of heavy imports (no pydantic, no
numpy) so that ``policyeval validate`` starts fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from policyeval.errors import Issue, did_you_mean

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\Z")
r"""An id: a lowercase letter, then lowercase letters, digits and ``_`` (``\Z``: no final
newline slips through, as it would with ``$``)."""


def valid_id(value: Any) -> bool:
    r"""Whether ``value`` is an id that file names can be built from.

    It matches :data:`ID_PATTERN` and is at most ``id_length`` characters
    (:mod:`policyeval.limits`).

    Examples
    --------
    >>> valid_id("bus_lanes"), valid_id("nl\n"), valid_id("../x"), valid_id("a" * 300)
    (True, False, False, False)
    """
    from policyeval.limits import limit

    return (
        isinstance(value, str)
        and len(value) <= limit("id_length")
        and ID_PATTERN.match(value) is not None
    )


def id_problem(value: Any, what: str = "id") -> str:
    """Why ``value`` is not a valid id (``what``: how to call it), with the fix."""
    from policyeval.limits import env_var, limit

    if isinstance(value, str) and ID_PATTERN.match(value):
        return (
            f"the {what} is {len(value)} characters long, more than the limit id_length = "
            f"{int(limit('id_length'))}; use a shorter id (or set {env_var('id_length')})"
        )
    return (
        f"{_show(value)} is not a valid {what}; use lower-case letters, digits and _ "
        "starting with a letter (e.g. root_causes)"
    )


class Checker:
    """Collects issues for one file.

    Parameters
    ----------
    file : str
        The file's path relative to the workspace, used in every message.
    issues : list of Issue
        Where problems are appended (shared across files).
    """

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = issues

    def add(self, code: str, entry: str, message: str) -> None:
        """Record one problem."""
        self.issues.append(Issue(code, message, self.file, entry))

    def mapping(self, value: Any, entry: str, what: str = "a mapping (key: value)") -> dict | None:
        """Return ``value`` if it is a mapping, else record a problem."""
        if isinstance(value, dict):
            return value
        self.add("wrong-type", entry, f"expected {what}, got {_kind(value)}")
        return None

    def keys(
        self,
        data: dict,
        entry: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        hint: str = "",
    ) -> None:
        """Unknown keys (with a did-you-mean) and missing required keys.

        A required key that an unknown key looks like a misspelling of is not
        reported again: one typo, one message.
        """
        allowed = list(allowed)
        meant = set()
        for key in data:
            if key not in allowed:
                where = f"{entry}.{key}" if entry else str(key)
                hint_key = did_you_mean(str(key), allowed)
                meant |= {k for k in allowed if hint_key == f" Did you mean '{k}'?"}
                self.add(
                    "unknown-key",
                    where,
                    f"unknown key '{key}'.{hint_key} Allowed keys: {', '.join(allowed)}{hint}",
                )
        for key in required:
            if key in meant:
                continue
            if key not in data or data[key] is None:
                where = f"{entry}.{key}" if entry else key
                self.add("missing-key", where, f"'{key}' is required; add it")

    def number(
        self,
        value: Any,
        entry: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        allow_fraction: bool = False,
    ) -> float | None:
        """A finite number (optionally a fraction string ``"1/3"``) within bounds."""
        x = parse_number(value, allow_fraction)
        if x is None:
            extra = " or a fraction like 1/3" if allow_fraction else ""
            self.add("not-a-number", entry, f"expected a number{extra}, got {_show(value)}")
            return None
        if not math.isfinite(x):
            self.add("not-finite", entry, f"expected a finite number, got {_show(value)}")
            return None
        if (problem := magnitude_problem(x)) is not None:
            self.add("out-of-range", entry, problem)
            return None
        if minimum is not None and x < minimum:
            self.add(
                "out-of-range",
                entry,
                f"{_fmt(x)} is below the minimum {_fmt(minimum)}; use a number >= {_fmt(minimum)}",
            )
            return None
        if maximum is not None and x > maximum:
            self.add(
                "out-of-range",
                entry,
                f"{_fmt(x)} is above the maximum {_fmt(maximum)}; use a number <= {_fmt(maximum)}",
            )
            return None
        return x

    def text(self, value: Any, entry: str) -> str | None:
        """A string (numbers are accepted and converted)."""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.add("wrong-type", entry, f"expected text, got {_kind(value)}")
        return None

    def identifier(self, value: Any, entry: str) -> str | None:
        """An id (see :func:`valid_id`)."""
        if not valid_id(value):
            self.add("bad-id", entry, id_problem(value))
            return None
        return value

    def choice(self, value: Any, entry: str, choices: Iterable[str], what: str) -> str | None:
        """One of ``choices``, with a did-you-mean."""
        choices = list(choices)
        if value in choices:
            return value
        self.add(
            f"unknown-{what.replace(' ', '-')}",
            entry,
            f"unknown {what} {_show(value)}.{did_you_mean(str(value), choices)} "
            f"Choices: {', '.join(choices)}",
        )
        return None

    def ref(self, value: Any, entry: str, known: Iterable[str], what: str) -> str | None:
        """A reference to a known id, with a did-you-mean."""
        known = list(known)
        if isinstance(value, str) and value in known:
            return value
        self.add(
            f"unknown-{what.replace(' ', '-')}",
            entry,
            f"unknown {what} {_show(value)}.{did_you_mean(str(value), known)} "
            f"Known: {', '.join(known) if len(known) <= 12 else ', '.join(known[:12]) + ', ...'}",
        )
        return None

    def id_list(self, value: Any, entry: str, known: Iterable[str], what: str) -> list[str]:
        """A list of known ids without repeats."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.add("wrong-type", entry, f"expected a list of {what} ids, got {_kind(value)}")
            return []
        known = list(known)
        out: list[str] = []
        for i, item in enumerate(value):
            ref = self.ref(item, f"{entry}[{i}]", known, what)
            if ref is None:
                continue
            if ref in out:
                self.add("duplicate-id", f"{entry}[{i}]", f"'{ref}' is listed twice; keep one")
                continue
            out.append(ref)
        return out


def magnitude_problem(x: float) -> str | None:
    """Why ``x`` is too large or too small to compute with safely, or None.

    Numbers must be 0 or have a magnitude between ``1/magnitude`` and ``magnitude``
    (limit ``magnitude``, 1e15 by default): spans, sums and reciprocals of such
    numbers stay finite and well inside the solvers' tolerances.

    Examples
    --------
    >>> magnitude_problem(2.5e6) is None, magnitude_problem(0.0) is None
    (True, True)
    >>> magnitude_problem(1.7e308)[:40]
    '1.7e+308 is too large to compute with: n'
    """
    from policyeval.limits import env_var, limit

    cap = limit("magnitude")
    if x == 0 or 1 / cap <= abs(x) <= cap:
        return None
    size = "large" if abs(x) > cap else "small"
    return (
        f"{x:g} is too {size} to compute with: numbers must be 0 or between {1 / cap:g} and "
        f"{cap:g} in size (limit magnitude); use other units (e.g. millions), or set "
        f"{env_var('magnitude')}"
    )


def parse_number(value: Any, allow_fraction: bool = False) -> float | None:
    """A float from an int, float or (optionally) a fraction string, else None.

    Examples
    --------
    >>> parse_number("1/3", allow_fraction=True)
    0.3333333333333333
    >>> parse_number("x") is None, parse_number(True) is None
    (True, True)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the float range
            return math.inf if value > 0 else -math.inf
    if allow_fraction and isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9.]+)\s*(?:/\s*([0-9.]+)\s*)?", value)
        if m:
            try:
                num = float(m.group(1))
                den = float(m.group(2)) if m.group(2) else 1.0
            except ValueError:
                return None
            return num / den if den else None
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {_show(value)}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fmt(x: float) -> str:
    return f"{x:g}"
