"""The briefing page on a shared machine (attack report 2026-11-30, surface 4): other sites
cannot drive it, concurrent saves lose nothing, odd ids and bodies get 400, and a hung
client blocks no one.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from policyeval.io import load_workspace
from policyeval.serve import BriefingServer
from policyeval.serve.server import TOKEN_HEADER, Handler

from .helpers import call, call_json, running

WEIGHTS = {"benefit": 2, "reach": 1, "cost": 1}


@pytest.fixture
def server(tiny: Path) -> Iterator[BriefingServer]:
    with running(tiny) as srv:
        yield srv


def saved(root: Path) -> set[str]:
    return {p.stem for p in (root / "criteria" / "weights").glob("*.yaml")}


def test_the_page_carries_the_token(server: BriefingServer) -> None:
    status, _, body = call(server, "/")
    assert status == 200 and f'content="{server.token}"'.encode() in body
    assert len(server.token) >= 32


@pytest.mark.parametrize(
    "headers",
    [
        {TOKEN_HEADER: ""},
        {TOKEN_HEADER: "guess"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
    ids=["no token", "wrong token", "foreign origin", "null origin", "other port", "cross-site"],
)
def test_a_foreign_page_cannot_save_or_overwrite(
    server: BriefingServer, tiny: Path, headers: dict[str, str]
) -> None:
    before = (tiny / "criteria/weights/even.yaml").read_bytes()
    for body in (
        {"id": "planted", "weights": WEIGHTS},
        {"id": "even", "weights": WEIGHTS, "overwrite": True},
    ):
        status, _ = call_json(server, "/api/profiles", body, headers=headers)
        assert status == 403
    status, _ = call_json(server, "/api/rank", {"weights": WEIGHTS}, headers=headers)
    assert status == 403
    assert saved(tiny) == {"even"}
    assert (tiny / "criteria/weights/even.yaml").read_bytes() == before


def test_the_page_own_origin_may_save(server: BriefingServer, tiny: Path) -> None:
    origin = server.url.rstrip("/")
    status, _ = call_json(
        server,
        "/api/profiles",
        {"id": "mine", "weights": WEIGHTS},
        headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"},
    )
    assert status == 201 and "mine" in saved(tiny)


def test_twenty_concurrent_saves_leave_twenty_intact_profiles(
    server: BriefingServer, tiny: Path
) -> None:
    def save(k: int) -> int:
        body = {"id": f"p{k}", "name": f"Profile {k}", "weights": {**WEIGHTS, "cost": k + 1}}
        return call_json(server, "/api/profiles", body)[0]

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(save, range(20)))
    assert statuses == [201] * 20
    ws = load_workspace(tiny)
    for k in range(20):
        data = yaml.safe_load((tiny / f"criteria/weights/p{k}.yaml").read_text("utf-8"))
        assert data["name"] == f"Profile {k}" and data["points"]["cost"] > 0
        assert f"p{k}" in ws.profiles
    assert not list((tiny / "criteria/weights").glob(".*"))


@pytest.mark.parametrize("clients", [2, 3, 8])
def test_simultaneous_saves_of_one_id_give_one_201(
    server: BriefingServer, tiny: Path, clients: int
) -> None:
    barrier = threading.Barrier(clients)

    def save(k: int) -> tuple[int, str]:
        barrier.wait()
        body = {"id": "race", "name": f"client {k}", "weights": WEIGHTS, "overwrite": False}
        status, out = call_json(server, "/api/profiles", body)
        return status, (out.get("name") or out["issues"][0]["code"])

    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(save, range(clients)))
    statuses = sorted(s for s, _ in results)
    assert statuses == [201] + [409] * (clients - 1), results
    [winner] = [name for s, name in results if s == 201]
    assert yaml.safe_load((tiny / "criteria/weights/race.yaml").read_text())["name"] == winner


@pytest.mark.parametrize(
    "pid, phrase",
    [
        ("nl\n", "not a valid profile id"),
        ("a" * 300, "limit id_length"),
        ("../../x", "not a valid profile id"),
        ("con\r\nX-Injected: 1", "not a valid"),
    ],
    ids=["newline", "300 characters", "traversal", "header injection"],
)
def test_odd_ids_get_400(server: BriefingServer, tiny: Path, pid: str, phrase: str) -> None:
    status, out = call_json(server, "/api/profiles", {"id": pid, "weights": WEIGHTS})
    assert status == 400 and phrase in out["error"]
    assert saved(tiny) == {"even"}


def test_a_name_with_a_newline_gets_400(server: BriefingServer, tiny: Path) -> None:
    status, out = call_json(
        server, "/api/profiles", {"id": "x", "name": "a\nb", "weights": WEIGHTS}
    )
    assert status == 400 and "one line" in out["error"] and saved(tiny) == {"even"}


def test_deeply_nested_json_gets_400(server: BriefingServer) -> None:
    raw = b"[" * 200_000 + b"]" * 200_000
    status, _, data = call(server, "/api/profiles", raw=raw)
    assert status == 400 and b"nested too deeply" in data


def test_memo_of_an_unknown_profile_with_a_newline_sends_no_header_break(
    server: BriefingServer,
) -> None:
    status, headers, _ = call(server, "/api/memo?format=md&profile=nl%0A")
    assert status == 400
    assert all("\n" not in v and "\r" not in v for v in headers.values())


def test_idle_clients_do_not_block_others(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Handler, "timeout", 1)
    with running(tiny) as server:
        host, port = server.server_address[:2]
        idle = [socket.create_connection((host, port)) for _ in range(50)]
        try:
            start = time.perf_counter()
            status, _, _ = call(server, "/app.css")
            assert status == 200 and time.perf_counter() - start < 5
            time.sleep(2)  # past the timeout, the server has closed the idle connections
            idle[0].settimeout(5)
            assert idle[0].recv(10) == b""
        finally:
            for sock in idle:
                sock.close()


def test_the_listen_backlog_takes_a_burst(server: BriefingServer) -> None:
    assert server.request_queue_size >= 128


def test_static_paths_cannot_climb(server: BriefingServer) -> None:
    for path in (
        "/../server.py",
        "/static/../api.py",
        "/%2e%2e/api.py",
        "//etc/passwd",
        "/app.js/../../api.py",
    ):
        status, _, body = call(server, path)
        assert status in (400, 404) and b"import" not in body


def test_a_body_over_the_cap_is_refused(server: BriefingServer) -> None:
    status, _, data = call(server, "/api/profiles", raw=b" " * ((1 << 20) + 1))
    assert status == 400 and b"bytes" in data


def test_leftovers_of_a_killed_save_are_removed_when_the_page_starts(tiny: Path) -> None:
    """Attack report R33: ``kill -9`` during a save left ``.NAME.yaml.XXXX.tmp`` files in
    criteria/weights/ that nothing removed. The next ``serve`` removes those of the writer's
    own pattern once they are a minute old; a younger one (a save in progress elsewhere) and
    files of any other name stay."""
    import os

    weights = tiny / "criteria" / "weights"
    stale = weights / ".even.yaml.0123456789ab.tmp"
    young = weights / ".even.yaml.ba9876543210.tmp"
    other = weights / ".notes.tmp"
    for path in (stale, young, other):
        path.write_text("partial: [")
    an_hour_ago = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (an_hour_ago, an_hour_ago))
    with running(tiny) as server:
        assert server.removed == [stale]
    assert not stale.exists() and young.exists() and other.exists()
