"""``policyeval serve``: arguments, errors, and a real start and Ctrl-C stop."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from policyeval.cli.app import app

runner = CliRunner()


def test_help_names_the_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--workspace", "--port", "--open", "--no-open"):
        assert option in result.stdout


def test_invalid_workspace_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "-w", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "folder 'criteria/' not found" in result.stderr


def test_bad_port_exits_2(tiny: Path) -> None:
    result = runner.invoke(app, ["serve", "-w", str(tiny), "--port", "70000"])
    assert result.exit_code == 2
    assert "--port: must be an integer in [0, 65535]. Got 70000 instead." in result.stderr


def test_busy_port_exits_2(tiny: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "-w", str(tiny), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_installed_command_serves_and_stops_on_ctrl_c(tiny: Path) -> None:
    exe = shutil.which("policyeval") or str(Path(__file__).parents[2] / ".venv/bin/policyeval")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [exe, "serve", "-w", str(tiny), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines)).group(0)
        with urllib.request.urlopen(url + "api/state", timeout=60) as res:
            assert json.load(res)["title"] == "Tiny decision"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err
