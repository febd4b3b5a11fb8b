"""Render a report context with Jinja2, and write the files atomically.

Templates ship in ``policyeval/reporting/templates`` as ``NAME.md.j2`` and
``NAME.html.j2`` (``brief``, ``memo``, ``full``; shared sections in
``_sections.*.j2``). A workspace may override any of them by a file of the
same name in ``<workspace>/reports/templates/``; then the report renders in a
sandbox (:mod:`policyeval.reporting.sandbox`): templates cannot read files
outside that folder (symlinks included), import modules, call unsafe methods or
reach attributes starting with ``_``, and their time and output are bounded;
any failure of a workspace template is an input error (exit 2).
HTML autoescapes and carries a Content-Security-Policy that loads nothing;
Markdown does not escape. Undefined names are errors.
"""

from __future__ import annotations

import os
import re
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


CSP_META = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; "
    "form-action 'none'\">"
)
"""The memo's Content-Security-Policy: it loads nothing from anywhere (inline CSS and SVG)."""


def environment(user_dir: Path | None = None) -> Any:
    """The Jinja2 environment: shipped templates, or a sandbox when ``user_dir`` is given.

    The sandbox reads templates only inside ``user_dir`` (no symlink out) and
    bounds their work; see :mod:`policyeval.reporting.sandbox`.
    """
    import jinja2

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
        from policyeval.reporting.sandbox import ContainedLoader, LimitedSandbox

        loader = jinja2.ChoiceLoader([ContainedLoader(user_dir), shipped])
        env = LimitedSandbox(loader=loader, **options)
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

    from policyeval.reporting.sandbox import TemplateLimitError, render_limited

    name = f"{template}.{fmt}.j2"
    where = f"{USER_TEMPLATES.as_posix()}/{name}" if user_dir is not None else name
    try:
        env = environment(user_dir)
        if user_dir is None:
            text = env.get_template(name).render(**context)
        else:
            _check_folder(user_dir)
            text = render_limited(env, env.get_template(name), context)
    except SecurityError as err:
        raise _template_error(
            "template-unsafe", where, f"not allowed in a template: {err}"
        ) from err
    except jinja2.TemplateNotFound as err:
        raise _template_error("template-missing", where, f"template not found: {err}") from err
    except jinja2.TemplateSyntaxError as err:
        shown = f"{USER_TEMPLATES.as_posix()}/{Path(err.filename).name}" if err.filename else where
        at = f"{shown}, line {err.lineno}"
        raise _template_error("template-syntax", at, f"syntax error: {err.message}") from err
    except jinja2.UndefinedError as err:
        if "unsafe" in str(err):
            raise _template_error("template-unsafe", where, f"not allowed: {err}") from err
        raise _template_error("template-undefined", where, f"unknown name: {err}") from err
    except TemplateLimitError as err:
        raise WorkspaceError([err.issue(where)]) from err
    except RecursionError as err:
        raise _template_error(
            "template-recursion",
            where,
            "a macro, include or extends calls itself without end; remove the loop",
        ) from err
    except (OverflowError, MemoryError) as err:
        raise _template_error(
            "template-limit",
            where,
            f"the template asks for too much ({type(err).__name__}: {str(err)[:120]}); "
            "use smaller ranges and repetitions",
        ) from err
    except Exception as err:
        if user_dir is None:
            raise
        raise _template_error(
            "template-error",
            where,
            f"the template failed ({type(err).__name__}: {str(err)[:120]}); fix the template",
        ) from err
    if fmt == "html" and CSP_META not in text:  # a workspace template without the shipped head
        head = re.search(r"<head(\s[^>]*)?>", text, re.IGNORECASE)
        at = head.end() if head else 0
        text = text[:at] + CSP_META + text[at:]
    return text


def _check_folder(user_dir: Path) -> None:
    """``reports/templates`` must be a folder of the workspace, not a link elsewhere."""
    root = Path(user_dir).parent.parent.resolve()
    if not Path(user_dir).resolve().is_relative_to(root):
        raise _template_error(
            "template-unsafe",
            USER_TEMPLATES.as_posix(),
            "the folder leads outside the workspace (a symlink); make it a plain folder",
        )


def _template_error(code: str, where: str, message: str) -> WorkspaceError:
    return WorkspaceError([Issue(code, message, where, "")])


def check_writable(out: Path) -> None:
    """Check that reports can be written to ``out``, without creating anything yet.

    ``out`` must be a folder, or not exist under a folder we may write in (it is
    created by :func:`write_files`, once everything is rendered).

    Raises
    ------
    WorkspaceError
        When ``out`` is a file or lies under one, or cannot be written.
    """
    probe = Path(os.path.abspath(out))
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    reason = ""
    if not probe.is_dir():
        reason = "it is a file, or lies under a file"
    elif not os.access(probe, os.W_OK | os.X_OK):
        reason = "permission denied"
    if reason:
        raise WorkspaceError(
            [
                Issue(
                    "out-unwritable",
                    f"cannot write reports to '{out}': {reason}. Choose another folder with --out",
                    "",
                    "--out",
                )
            ]
        )


def write_files(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path -> bytes) under ``out``, each atomically.

    Every path is resolved inside ``out`` first (none may leave it, see
    :func:`policyeval.safepath.resolve_write_path`); then each file goes to a
    temporary file in its own folder and is renamed over the target, so a reader
    never sees half a file. Call it once everything is rendered.
    """
    from policyeval.io.writer import write_atomic
    from policyeval.safepath import resolve_write_path

    check_writable(out)
    targets = {rel: resolve_write_path(out, rel) for rel in files}
    written = []
    for rel, data in files.items():
        try:
            written.append(write_atomic(targets[rel], data))
        except WorkspaceError as err:
            raise WorkspaceError(
                [
                    Issue("out-unwritable", f"cannot write '{out / rel}': {i.message}", "", "--out")
                    for i in err.issues
                ]
            ) from err
    return [out / Path(p).relative_to(Path(os.path.abspath(out)).resolve()) for p in written]
