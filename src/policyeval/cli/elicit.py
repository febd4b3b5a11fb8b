"""``policyeval elicit``: ask for weights in the terminal and write a weight profile.

The dialog (headers, questions, CR feedback) goes to standard error, so that
standard output only holds the resulting weights table. Answers are read line
by line from ``--answers FILE`` or standard input. When they come from a file
or a pipe (scripted), each answer is echoed after its question and an answer
that cannot be used stops the command (exit 2, naming the line); at a
terminal the question is asked again. ``#`` starts a comment in an answer
line; a line holding only a comment is skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policyeval.cli.common import (
    Format,
    WorkspaceOpt,
    err_console_print,
    handle_errors,
    load,
    usage_error,
)

if TYPE_CHECKING:
    from policyeval.weighting.elicit import Elicitation


class Method(StrEnum):
    """Methods that can be elicited."""

    ahp = "ahp"
    swing = "swing"
    rank = "rank"


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("elicit")(elicit)


@handle_errors
def elicit(
    method: Annotated[Method, typer.Option("--method", "-m", help="ahp, swing or rank (ROC).")],
    name: Annotated[
        str, typer.Option("--name", "-n", help="Profile id: writes criteria/weights/NAME.yaml.")
    ],
    workspace: WorkspaceOpt = Path("."),
    answers: Annotated[
        Path | None,
        typer.Option("--answers", "-a", help="Read the answers from FILE, one per line."),
    ] = None,
    tree: Annotated[
        bool,
        typer.Option(
            "--tree/--flat",
            help="Group by group along the value tree (default when there are groups), "
            "or all criteria at once.",
        ),
    ] = True,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="The profile's name (default: NAME).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing profile of that name.")
    ] = False,
) -> None:
    """Elicit a weight profile interactively (answers may come from stdin or --answers)."""
    from policyeval.errors import WorkspaceError
    from policyeval.io.checks import id_problem, valid_id
    from policyeval.io.writer import dump_yaml, write_atomic
    from policyeval.safepath import resolve_write_path
    from policyeval.weighting import compute_weights
    from policyeval.weighting.elicit import INTRO, Elicitation

    if not valid_id(name):
        usage_error(id_problem(name, "profile id"), "--name")
    if display_name is not None and (not display_name.strip() or "\n" in display_name):
        usage_error("the profile name must be one line of text", "--display-name")
    rel = f"criteria/weights/{name}.yaml"
    path = resolve_write_path(workspace, rel, "--name")
    if path.exists() and not force:
        usage_error(f"{rel} already exists; use --force to overwrite it or choose another --name")
    ws = load(workspace)
    try:
        session = Elicitation(ws, method.value, tree=tree)
    except ValueError as err:
        usage_error(str(err), "--method")
    if answers is not None:
        try:
            text = answers.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            usage_error(f"cannot read the answers file {answers}: {err}", "--answers")
        lines, source, scripted = _numbered(iter(text.splitlines())), str(answers), True
    else:
        lines, source, scripted = _numbered(_stdin_lines()), "<stdin>", not sys.stdin.isatty()
    for line in INTRO[method.value]:
        err_console_print(line)
    run_dialog(session, lines, scripted, source)
    if answers is not None:
        _no_leftovers(lines, source)

    data = session.profile(display_name or name)
    old = path.read_bytes() if path.exists() else None
    header = (
        f"Weight profile elicited with `policyeval elicit --method {method.value}`.\n"
        "Edit it by hand, or run the command again with --force."
    )
    try:
        write_atomic(path, dump_yaml(data, header), exclusive=not force)
    except FileExistsError:
        usage_error(f"{rel} appeared meanwhile; use --force to overwrite it or another --name")
    try:
        compute_weights(load(workspace), name)
    except WorkspaceError:
        if old is None:
            path.unlink()
        else:
            write_atomic(path, old)
        err_console_print(f"{rel} was not saved: the profile does not load")
        raise
    err_console_print(f"\nwrote {rel}")
    if len(ws.profiles) == 1 and ws.default_profile is None and name not in ws.profiles:
        err_console_print(
            "note: criteria.yaml has no default_profile and there are now two profiles; "
            "pass --profile to other commands or set default_profile"
        )
    from policyeval.cli.weights import weights

    weights(workspace=workspace, profile=name, all_profiles=False, fmt=Format.table)


def _stdin_lines() -> Iterator[str]:
    while line := sys.stdin.readline():
        yield line.rstrip("\r\n")


def _numbered(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    """``(line number, answer)``, comments stripped, comment-only lines skipped."""
    for number, line in enumerate(lines, 1):
        answer, hash_, _ = line.partition("#")
        if hash_ and not answer.strip():
            continue
        yield number, answer.strip()


def _fail(code: str, message: str, source: str, entry: str = "") -> None:
    from policyeval.errors import Issue, WorkspaceError

    raise WorkspaceError([Issue(code, f"{message}; nothing was written", source, entry)])


def run_dialog(
    session: Elicitation, lines: Iterator[tuple[int, str]], scripted: bool, source: str
) -> None:
    """Ask every question of ``session``, reading answers from ``lines``.

    Scripted: each answer is echoed and an unusable one raises WorkspaceError
    naming its line. Interactive: the reason is shown and the question repeated.
    """
    while (q := session.question()) is not None:
        for line in q.intro:
            err_console_print(line)
        while True:
            sys.stderr.write(f"{q.text}: ")
            sys.stderr.flush()
            got = next(lines, None)
            if got is None:
                sys.stderr.write("\n")
                _fail("answers-ended", f"the answers ended before '{q.text}'", source)
            number, text = got  # type: ignore[misc]
            if scripted:
                sys.stderr.write(f"{text}\n")
            try:
                feedback = session.answer(text)
            except ValueError as err:
                if scripted:
                    _fail("bad-answer", f"{err} (question '{q.text}')", source, f"line {number}")
                err_console_print(f"  {err}; try again")
                continue
            for line in feedback:
                err_console_print(line)
            break


def _no_leftovers(lines: Iterator[tuple[int, str]], source: str) -> None:
    extra = [(n, t) for n, t in lines if t]
    if extra:
        _fail(
            "extra-answers",
            f"{len(extra)} answer(s) left after the last question, from '{extra[0][1]}'; "
            "check that the answers follow the questions",
            source,
            f"line {extra[0][0]}",
        )
