"""The sandbox workspace templates render in: no file outside their folder, bounded work.

On top of Jinja's ``ImmutableSandboxedEnvironment`` (no unsafe attributes or
calls), a workspace template

- reads only regular files inside ``reports/templates/`` (symlinks leading
  elsewhere are refused: :class:`ContainedLoader`);
- cannot build a huge value in one step: repeating a text or list (``*``),
  powers (``**``), ``%`` and ``str.format`` widths, and the size arguments of
  filters and methods (``center``, ``indent``, ``ljust``...) are checked
  against the ``template_output`` limit before they run;
- cannot loop without end: template lines executed are counted (limit
  ``template_steps``), and the output is cut at ``template_output`` characters.

Going over a limit raises :class:`TemplateLimitError`; the renderer turns it
(and any other failure of a workspace template) into an exit-2 message.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from policyeval.limits import exceeded, limit

_WIDTH = re.compile(r"\d{7,}")
"""A width or precision of seven digits or more in a format string."""


class TemplateLimitError(Exception):
    """A workspace template went over a limit (the Issue says which)."""

    def __init__(self, name: str, value: float | str, what: str) -> None:
        self.name, self.value, self.what = name, value, what
        super().__init__(f"{what}: {value} (limit {name})")

    def issue(self, where: str) -> Any:
        """The Issue naming the limit, for the template ``where``."""
        return exceeded(self.name, self.value, self.what, where)


class ContainedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses anything not a regular file inside its folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = Path(folder).resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The template's text, after checking where its path leads."""
        path = Path(self.searchpath[0], *split_template_path(template))
        if path.exists() or path.is_symlink():
            real = path.resolve()
            if not real.is_relative_to(self.root) or not real.is_file():
                raise SecurityError(
                    f"'{template}' leads outside reports/templates/ or is not a file "
                    "(a symlink?); copy the file into the folder instead"
                )
            if real.stat().st_size > limit("file_bytes"):
                raise TemplateLimitError("file_bytes", real.stat().st_size, f"bytes of {template}")
        return super().get_source(environment, template)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with size checks on the operators and calls that can build huge values."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: self._guard(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse ``*``, ``**``, ``+`` and ``%`` whose result would be too large."""
        cap = limit("template_output")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int):
                    _size(len(seq) * n, cap, "items from a repetition (*)")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right * abs(left).bit_length() > 10_000:
                raise TemplateLimitError("template_output", f"{left} ** {right}", "a power")
        elif operator == "+" and isinstance(left, str | list | tuple) and hasattr(right, "__len__"):
            _size(len(left) + len(right), cap, "items from a concatenation (+)")
        elif operator == "%" and isinstance(left, str):
            _format_string(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Check the size arguments (and format strings) of a call, then its result."""
        _arguments(args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map"):
            _format_string(getattr(inspect.unwrap(__obj), "__self__", ""))
        return _result(super().call(__context, __obj, *args, **kwargs))

    @staticmethod
    def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            _arguments(args[1:], kwargs)
            if func.__name__ == "do_format" and len(args) > 0:
                _format_string(args[0])
            if func.__name__ == "do_join" and len(args) > 1 and isinstance(args[1], list | tuple):
                _size(
                    sum(len(x) for x in args[1] if isinstance(x, str)),
                    limit("template_output"),
                    "characters from a join",
                )
            return _result(func(*args, **kwargs))

        return guarded


def _size(n: int, cap: float, what: str) -> None:
    if n > cap:
        raise TemplateLimitError("template_output", n, what)


def _arguments(args: tuple, kwargs: Mapping[str, Any]) -> None:
    cap = limit("template_output")
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > cap:
            raise TemplateLimitError("template_output", value, "a size given to a filter or call")


def _format_string(text: Any) -> None:
    if isinstance(text, str) and _WIDTH.search(text):
        raise TemplateLimitError(
            "template_output", _WIDTH.search(text).group(), "a width in a format string"
        )


def _result(value: Any) -> Any:
    if isinstance(value, str | list | tuple):
        _size(len(value), limit("template_output"), "characters or items in one value")
    return value


def render_limited(env: jinja2.Environment, template: jinja2.Template, context: Any) -> str:
    """Render ``template`` counting executed template lines and output characters.

    Raises
    ------
    TemplateLimitError
        Over ``template_steps`` lines or ``template_output`` characters.
    """
    steps, cap = int(limit("template_steps")), int(limit("template_output"))
    count = [0]

    def on_line(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            count[0] += 1
            if count[0] > steps:
                raise TemplateLimitError("template_steps", f"over {steps:,}", "template lines run")
        return on_line

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        return on_line if frame.f_globals.get("environment") is env else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        parts, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > cap:
                raise TemplateLimitError("template_output", f"over {cap:,}", "characters written")
            parts.append(piece)
        return "".join(parts)
    finally:
        sys.settrace(previous)
