"""The ``policyeval`` command: one module per command, registered here.

Each command module exposes ``register(app)`` and imports only typer at module
level, so that ``policyeval --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import Annotated

import typer

from policyeval._version import __version__
from policyeval.cli.common import DEBUG, OUTPUT

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
    "voi",
    "diff",
]

#: Commands and the module that registers each (``main`` loads only the one asked for).
COMMANDS = {
    "validate": "validate", "weights": "weights", "rank": "rank", "sensitivity": "sensitivity",
    "optimize": "optimize", "frontier": "optimize", "allocate": "optimize", "report": "report",
    "serve": "serve", "elicit": "elicit", "export-xlsx": "xlsx", "import-xlsx": "xlsx",
    "init": "init",
    "voi": "voi",
    "diff": "diff",
}  # fmt: skip


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyeval {__version__}")
        raise typer.Exit()


def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Time each step of long commands on stderr.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No warnings and no progress on stderr.")
    ] = False,
) -> None:
    """Evaluate policy recommendations: weights, rankings, robustness, budgets and memos."""
    DEBUG["on"] = debug
    OUTPUT.update(verbose=verbose, quiet=quiet)


def build(modules: Iterable[str] = COMMAND_MODULES) -> typer.Typer:
    """The app with the commands of ``modules``."""
    cli = typer.Typer(
        name="policyeval",
        help="Evaluate policy recommendations: weights, rankings, robustness, budgets and memos.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    cli.callback()(_root)
    for name in modules:
        importlib.import_module(f"policyeval.cli.{name}").register(cli)
    return cli


app = build()

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""One BLAS thread unless the user sets these: the matrices here are small (tens of
columns), where a second thread costs more than it gives (the value-of-information
regressions run 5x faster on this 2-core machine with one thread)."""


def main() -> None:
    """Console-script entry point.

    Typer builds the parameters of every registered command on each run; when the
    command is named, only its module is registered, so that it starts faster.
    """
    from policyeval.interrupt import install

    for var in BLAS_THREADS:
        os.environ.setdefault(var, "1")
    install()  # SIGTERM removes temporary files and stops solvers, then exits 143
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    name = words[0] if words else None
    try:
        (build([COMMANDS[name]]) if name in COMMANDS else app)()
    finally:
        from policyeval.interrupt import cleanup

        cleanup()  # what a Ctrl-C between two statements left behind
