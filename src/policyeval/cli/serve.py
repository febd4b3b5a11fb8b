"""``policyeval serve``: the local weighting page for a briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import WorkspaceOpt, handle_errors, usage_error


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("serve")(serve)


@handle_errors
def serve(
    workspace: WorkspaceOpt = Path("."),
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1 (0: any free port).")
    ] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in a web browser.")
    ] = False,
) -> None:
    """Serve a weighting page on http://127.0.0.1:PORT/ until Ctrl-C.

    Sliders per criterion and per group re-rank every method live and show
    SMAA acceptability and what would change the answer; the page switches
    profiles, saves the weights as a new profile in criteria/weights/ and
    downloads the memo. Works offline; listens on 127.0.0.1 only.
    """
    from policyeval.serve import make_server

    if not 0 <= port <= 65535:
        usage_error(f"must be an integer in [0, 65535]. Got {port} instead.", "--port")
    server = make_server(workspace, port)
    typer.echo(f"policyeval serve: {server.workspace.title}")
    if server.removed:
        names = ", ".join(p.name for p in server.removed)
        typer.echo(f"Removed temporary files an interrupted save left: {names}", err=True)
    typer.echo(f"Open {server.url} in a browser (Ctrl-C stops).")
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.server_close()
