"""Rendering: the sandbox for user templates, autoescape, atomic writes, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app
from policyeval.errors import WorkspaceError
from policyeval.reporting.render import environment, render, write_files

runner = CliRunner()
ARGS = ["--samples", "200", "--date", "2026-01-31"]


def _user_template(ws: Path, text: str, name: str = "memo.md.j2") -> None:
    folder = ws / "reports" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
        ("{{ cycler.__init__.__globals__ }}", "not allowed"),
        ("{{ title.__class__ }}", "not allowed"),
        ("{% include '/etc/passwd' %}", "template not found"),
        ("{% include '../../criteria/criteria.yaml' %}", "template not found"),
        ("{% import 'os' as os %}", "template not found"),
        ("{{ no_such_name }}", "unknown name"),
        ("{% for x in %}", "syntax error"),
    ],
)
def test_hostile_user_template_fails_with_exit_2(transport_copy, hostile, message):
    _user_template(transport_copy, hostile)
    res = runner.invoke(app, ["report", "-w", str(transport_copy), *ARGS])
    assert res.exit_code == 2, res.output
    assert "reports/templates/memo.md.j2" in res.output and message in res.output
    assert "Traceback" not in res.output
    assert not (transport_copy / "reports" / "memo.md").exists()


def test_sandbox_blocks_attribute_escape_directly():
    from jinja2.sandbox import SecurityError

    env = environment(Path("."))  # any user folder: sandboxed
    tpl = env.from_string("{{ x.__class__.__mro__ }}")
    with pytest.raises(SecurityError, match="unsafe"):
        tpl.render(x="")


def test_user_template_overrides_the_shipped_one(transport_copy):
    _user_template(
        transport_copy, "Choice: {{ bottom_line.choice.title }} ({{ bottom_line.verdict }})\n"
    )
    res = runner.invoke(app, ["report", "-w", str(transport_copy), *ARGS])
    assert res.exit_code == 0, res.output
    text = (transport_copy / "reports" / "memo.md").read_text()
    assert text.startswith("Choice: East-west tram line (")


def test_html_autoescapes_workspace_text():
    ctx = {"title": "<script>alert(1)</script>"}
    env = environment()
    html = env.from_string("{{ title }}").render(**ctx)  # from_string: no autoescape by name
    assert "<script>" in html  # sanity: strings are not escaped unless the template is html
    tpl = env.get_template("_base.html.j2")
    out = tpl.render(title="<script>alert(1)</script>", date="")
    assert "<script>alert(1)</script>" not in out and "&lt;script&gt;" in out


def test_unwritable_out_exits_2_with_a_clear_message(tmp_path, transport_copy):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = runner.invoke(
        app, ["report", "-w", str(transport_copy), "--out", str(blocker / "x"), *ARGS]
    )
    assert res.exit_code == 2
    assert "cannot write reports to" in res.output and "--out" in res.output


def test_write_files_is_atomic_and_leaves_no_temp_files(tmp_path):
    written = write_files(tmp_path, {"a.md": b"one", "a_files/x.svg": b"<svg/>"})
    assert [p.name for p in written] == ["a.md", "x.svg"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md", "a_files", "x.svg"]
    write_files(tmp_path, {"a.md": b"two"})
    assert (tmp_path / "a.md").read_bytes() == b"two"


def test_bad_template_and_format_names_exit_2(transport_copy):
    res = runner.invoke(app, ["report", "-w", str(transport_copy), "--template", "memmo"])
    assert res.exit_code == 2 and "Did you mean 'memo'?" in res.output
    res = runner.invoke(app, ["report", "-w", str(transport_copy), "--format", "rtf"])
    assert res.exit_code == 2 and "Choices: md, html, pdf, docx, all" in res.output
    res = runner.invoke(app, ["report", "-w", str(transport_copy), "--date", "2026-02-30"])
    assert res.exit_code == 2 and "calendar date" in res.output


def test_cli_prints_every_path_written(transport_copy, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "report",
            "-w",
            str(transport_copy),
            "-t",
            "memo,brief",
            "-f",
            "md,html",
            "-o",
            str(out),
            *ARGS,
        ],
    )
    assert res.exit_code == 0, res.output
    printed = sorted(Path(line).name for line in res.output.split())
    on_disk = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert printed == on_disk
    assert {"brief.md", "brief.html", "memo.md", "memo.html"} <= set(on_disk)
    memo = (out / "memo.md").read_text()
    for svg in (out / "memo_files").glob("*.svg"):
        assert f"memo_files/{svg.name}" in memo


def test_same_date_gives_identical_bytes(transport_copy, tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        res = runner.invoke(
            app,
            [
                "report",
                "-w",
                str(transport_copy),
                "-t",
                "memo",
                "-f",
                "md,html",
                "-o",
                str(out),
                *ARGS,
            ],
        )
        assert res.exit_code == 0, res.output
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0] == outs[1]
    memo = outs[0][Path("memo.md")].decode()
    assert str(transport_copy) not in memo and str(Path.home()) not in memo
    assert "policyeval report -w . --profile council --date 2026-01-31" in memo


def test_template_error_names_the_file():
    with pytest.raises(WorkspaceError, match="template not found"):
        render({}, "nope", "md", Path("/nonexistent"))


def test_sandbox_renders_the_shipped_templates_unchanged(tmp_path):
    from policyeval.analysis import Analysis
    from policyeval.io import load_workspace
    from policyeval.reporting import build_report, report_context

    transport = Path(__file__).resolve().parents[1] / "fixtures" / "transport"
    a = Analysis(load_workspace(transport))
    ctx = report_context(a, date="2026-01-31", samples=200, versions={})
    kinds = (["brief", "memo", "full"], ["md", "html"])
    assert build_report(ctx, *kinds, user_dir=tmp_path) == build_report(ctx, *kinds)


def test_html_is_self_contained(transport_copy, tmp_path):
    res = runner.invoke(
        app,
        [
            "report",
            "-w",
            str(transport_copy),
            "-t",
            "full",
            "-f",
            "html",
            "-o",
            str(tmp_path),
            *ARGS,
        ],
    )
    assert res.exit_code == 0, res.output
    html = (tmp_path / "full.html").read_text()
    assert "<style>" in html and html.count("<svg") >= 3
    for ref in ('src="http', "src='http", 'href="http', "@import", "<link", "<script"):
        assert ref not in html
