"""Render a report context with Jinja2, and write the files atomically.

Templates ship in ``policyeval/reporting/templates`` as ``NAME.md.j2`` and
``NAME.html.j2`` (``brief``, ``memo``, ``full``; shared sections in
``_sections.*.j2``). A workspace may override any of them by a file of the
same name in ``<workspace>/reports/templates/``; then the report renders in an
``ImmutableSandboxedEnvironment``: templates cannot read files (the loader only
sees the two template folders), import modules, call unsafe methods or reach
attributes starting with ``_``; a violation is an input error (exit 2).
HTML autoescapes; Markdown does not. Undefined names are errors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from policyeval.errors import Issue, WorkspaceError

TEMPLATES = ("brief", "memo", "full")
FORMATS = ("md", "html", "pdf", "docx")
USER_TEMPLATES = Path("reports") / "templates"


def user_template_dir(root: Path) -> Path | None:
    """The workspace's template folder, if it exists."""
    folder = Path(root) / USER_TEMPLATES
    return folder if folder.is_dir() else None


def environment(user_dir: Path | None = None) -> Any:
    """The Jinja2 environment: shipped templates, or a sandbox when ``user_dir`` is given."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    shipped = jinja2.PackageLoader("policyeval.reporting", "templates")
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "autoescape": jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if user_dir is None:
        env = jinja2.Environment(loader=shipped, **options)
    else:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(user_dir)), shipped])
        env = ImmutableSandboxedEnvironment(loader=loader, **options)
    env.filters["cell"] = md_cell
    return env


def md_cell(text: Any) -> str:
    r"""Text made safe for one Markdown table cell (no pipe, no line break).

    Examples
    --------
    >>> md_cell("a | b\nc")
    'a \\| b c'
    """
    return " ".join(str(text).split()).replace("|", "\\|")


def render(
    context: Mapping[str, Any], template: str, fmt: str, user_dir: Path | None = None
) -> str:
    """Render ``template`` (brief, memo, full) as ``fmt`` (md or html) from ``context``.

    Raises
    ------
    WorkspaceError
        A user template that is missing, malformed, uses an unknown name or
        tries something the sandbox forbids.
    """
    import jinja2
    from jinja2.sandbox import SecurityError

    name = f"{template}.{fmt}.j2"
    where = f"{USER_TEMPLATES.as_posix()}/{name}" if user_dir is not None else name
    try:
        return environment(user_dir).get_template(name).render(**context)
    except SecurityError as err:
        raise _template_error(
            "template-unsafe", where, f"not allowed in a template: {err}"
        ) from err
    except jinja2.TemplateNotFound as err:
        raise _template_error("template-missing", where, f"template not found: {err}") from err
    except jinja2.TemplateSyntaxError as err:
        at = f"{err.filename or where}, line {err.lineno}"
        raise _template_error("template-syntax", at, f"syntax error: {err.message}") from err
    except jinja2.UndefinedError as err:
        if "unsafe" in str(err):
            raise _template_error("template-unsafe", where, f"not allowed: {err}") from err
        raise _template_error("template-undefined", where, f"unknown name: {err}") from err


def _template_error(code: str, where: str, message: str) -> WorkspaceError:
    return WorkspaceError([Issue(code, message, where, "")])


def check_writable(out: Path) -> None:
    """Create ``out`` if needed and check it accepts files (WorkspaceError if not)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".policyeval-check-"):
            pass
    except OSError as err:
        raise WorkspaceError(
            [
                Issue(
                    "out-unwritable",
                    f"cannot write reports to '{out}': {err.strerror or err}. "
                    "Choose another folder with --out",
                    "",
                    "--out",
                )
            ]
        ) from err


def write_files(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path -> bytes) under ``out``, each atomically.

    Each file goes to a temporary file in its own folder and is renamed over
    the target with ``os.replace``, so a reader never sees half a file; every
    file is rendered before the first is written.
    """
    check_writable(out)
    written = []
    for rel, data in files.items():
        target = out / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise WorkspaceError(
                [Issue("out-unwritable", f"cannot write '{target}': {err}", "", "--out")]
            ) from err
        written.append(target)
    return written
