"""The ``policyeval`` command: one module per command, registered here.

Each command module exposes ``register(app)`` and imports only typer at module
level, so that ``policyeval --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from policyeval import __version__
from policyeval.cli.common import DEBUG

COMMAND_MODULES = [
    "validate",
    "weights",
    "rank",
    "sensitivity",
    "optimize",
    "report",
    "serve",
    "elicit",
    "xlsx",
    "init",
]

app = typer.Typer(
    name="policyeval",
    help="Evaluate policy recommendations: weights, rankings, robustness, budgets and memos.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyeval {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Evaluate policy recommendations: weights, rankings, robustness, budgets and memos."""
    DEBUG["on"] = debug


for _name in COMMAND_MODULES:
    importlib.import_module(f"policyeval.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()
