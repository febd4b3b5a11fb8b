"""``policyeval init DIR``: a new workspace with commented example files to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import handle_errors, usage_error


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("init")(init)


@handle_errors
def init(
    directory: Annotated[Path, typer.Argument(help="The new workspace folder (new or empty).")],
) -> None:
    """Create a workspace with commented example files that validate, then say what to run next."""
    from importlib.resources import files

    from policyeval.io.writer import write_file

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        usage_error(
            f"'{directory}' is not an empty folder; choose a new or empty folder "
            "(init never overwrites files)",
            "DIR",
        )
    template = files("policyeval.cli") / "init_template"
    written = []
    todo = [(template, Path())]
    while todo:
        node, rel = todo.pop()
        for child in node.iterdir():
            if child.is_dir():
                todo.append((child, rel / child.name))
            elif child.name.endswith(".yaml"):
                written.append(write_file(directory, rel / child.name, child.read_bytes()))
    for path in sorted(written):
        typer.echo(f"wrote {directory / path.relative_to(directory.resolve())}")
    w = f"-w {directory}"
    typer.echo(
        "\nA decision to replace with yours: edit the commented files, then run\n"
        f"  policyeval validate {w}                 # check every file\n"
        f"  policyeval weights {w}                  # weights of each profile\n"
        f"  policyeval rank {w} --method all        # rank by every method\n"
        f"  policyeval sensitivity {w}              # how robust is the ranking\n"
        f"  policyeval export-xlsx {w} model.xlsx   # edit scores in Excel, then import-xlsx"
    )
