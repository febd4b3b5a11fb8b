"""Resource limits on inputs: defaults, overridden by ``POLICYEVAL_MAX_<NAME>`` variables.

Every input that could make a command use unbounded memory or time is checked
against one of these limits before the work starts; going over is an input
error (exit code 2) whose message names the limit and the variable that
raises it. Kept free of heavy imports.

=================  ===========  ==========================================================
name               default      what it bounds
=================  ===========  ==========================================================
file_bytes         16 MiB       bytes of one input file (YAML, CSV)
yaml_nodes         200,000      values in one YAML file, aliases expanded
rows               100,000      data rows of a CSV file (``criteria/countries.csv``)
options            1,000        option files in ``options/``
criteria           200          criteria in ``criteria/criteria.yaml``
magnitude          1e15         absolute value of any number (nonzero ones are >= 1e-15)
samples            10,000,000   Monte Carlo samples (``--samples``)
chunk              1,000,000    samples per batched evaluation (``--chunk``)
frontier_points    1,000        budgets of ``frontier --points``
solve_seconds      60           seconds of one solver run (one MILP or LP)
template_output    20,000,000   characters a template may produce
template_steps     5,000,000    template lines executed (loop iterations)
id_length          64           characters of an id (file names are built from ids)
=================  ===========  ==========================================================
"""

from __future__ import annotations

import os

from policyeval.errors import Issue, WorkspaceError

DEFAULTS: dict[str, float] = {
    "file_bytes": 16 * 1024 * 1024,
    "yaml_nodes": 200_000,
    "rows": 100_000,
    "options": 1_000,
    "criteria": 200,
    "magnitude": 1e15,
    "samples": 10_000_000,
    "chunk": 1_000_000,
    "frontier_points": 1_000,
    "solve_seconds": 60,
    "template_output": 20_000_000,
    "template_steps": 5_000_000,
    "id_length": 64,
}
"""Default value of each limit, by name."""


def env_var(name: str) -> str:
    """The environment variable overriding limit ``name`` (``POLICYEVAL_MAX_<NAME>``)."""
    return f"POLICYEVAL_MAX_{name.upper()}"


def limit(name: str) -> float:
    """The value of limit ``name``: its environment variable if set, else the default.

    Raises
    ------
    WorkspaceError
        When the variable is set to something other than a positive number.
    """
    raw = os.environ.get(env_var(name))
    if raw is None or not raw.strip():
        return DEFAULTS[name]
    try:
        value = float(raw.replace("_", ""))
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise WorkspaceError(
            [
                Issue(
                    "bad-limit",
                    f"{env_var(name)} must be a positive number. Got '{raw}' instead; "
                    "set it to a number or unset it",
                    "",
                    env_var(name),
                )
            ]
        )
    return value


def check(name: str, value: float, what: str, file: str = "", entry: str = "") -> None:
    """Raise an exit-2 error when ``value`` is above limit ``name``.

    Parameters
    ----------
    name : str
        The limit (a key of :data:`DEFAULTS`).
    value : float
        The size asked for.
    what : str
        What was counted, for the message (``"option files"``).
    file, entry : str
        Where, as in :class:`~policyeval.errors.Issue`.
    """
    cap = limit(name)
    if value > cap:
        raise WorkspaceError([exceeded(name, value, what, file, entry, cap)])


def exceeded(
    name: str,
    value: float | str,
    what: str,
    file: str = "",
    entry: str = "",
    cap: float | None = None,
) -> Issue:
    """The Issue saying that ``value`` (a count, or a text like ``"over 10"``) of ``what``
    is over limit ``name``."""
    cap = limit(name) if cap is None else cap
    shown = value if isinstance(value, str) else _n(value)
    return Issue(
        "limit-exceeded",
        f"{what + ': ' if what else ''}{shown}, more than the limit {name} = {_n(cap)}; "
        f"use less, or raise the limit by setting the environment variable {env_var(name)}",
        file,
        entry,
    )


def _n(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e18 else f"{x:g}"
