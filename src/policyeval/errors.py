"""Errors a user can act on.

Every problem found in a workspace or in the arguments is an :class:`Issue`
(code, message, file, entry). Loaders collect all issues and raise one
:class:`WorkspaceError`; the command line prints them as a list and exits 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the input.

    Parameters
    ----------
    code : str
        Short reason code, e.g. ``unknown-key`` or ``out-of-scale``.
    message : str
        What is wrong and how to fix it.
    file : str
        The file, relative to the workspace (``""`` for command-line arguments).
    entry : str
        Where in the file, as a dotted path (``scores.recruitment.low``).
    """

    code: str
    message: str
    file: str = ""
    entry: str = ""

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.file, self.entry) if p)
        return f"{where}: {self.message}" if where else self.message


class PolicyevalError(Exception):
    """Base class of every error policyeval raises on purpose."""


class WorkspaceError(PolicyevalError):
    """Invalid input: one or more :class:`Issue` records (exit code 2)."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    def __reduce__(self) -> tuple[type, tuple[list[Issue]]]:
        """Rebuilt from its issues (a worker process sends it to its parent pickled)."""
        return type(self), (self.issues,)


class InfeasibleError(PolicyevalError):
    """An optimization has no solution (exit code 3).

    Parameters
    ----------
    message : str
        What cannot hold.
    constraints : list of str
        The smallest set of constraints found to conflict, by name.
    """

    def __init__(self, message: str, constraints: Iterable[str] = ()) -> None:
        self.constraints = list(constraints)
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, list[str]]]:
        """Rebuilt from its message and constraints (see :class:`WorkspaceError`)."""
        return type(self), (str(self), self.constraints)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice, or ``""``.

    Examples
    --------
    >>> did_you_mean("ahpp", ["points", "ahp"])
    " Did you mean 'ahp'?"
    """
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def bad_setting(name: str, message: str) -> WorkspaceError:
    """A WorkspaceError for one bad setting, named by its parameter (``samples``, ``budget``).

    The command line shows the parameter as its flag (``--samples``).
    """
    return WorkspaceError([Issue("bad-argument", message, "", name)])


def fail_if(issues: list[Issue]) -> None:
    """Raise :class:`WorkspaceError` when ``issues`` is not empty."""
    if issues:
        raise WorkspaceError(issues)
