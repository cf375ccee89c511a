"""The emulator against hostile and broken clients: malformed requests over raw sockets, web
pages (Origin, rebound Host names, text/plain bodies), stalled and trickling bodies, deep and
non-JSON content, a burst of simultaneous connections, and kill -9 in the middle of writes.

Every server here is one the test starts on 127.0.0.1; every load is bounded in count and time.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from eventcontracts.emulator import Emulator
from eventcontracts.emulator.guard import MAX_BODY
from eventcontracts.emulator.validation import MAX_DEPTH
from test_emulator import make_client

DRAFT4 = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"})


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(request_timeout=1.0) as emu:
        yield emu


class Answer:
    """An HTTP response read off a raw socket, and whether the server then closed it."""

    def __init__(self, data: bytes, closed: bool) -> None:
        head, _, self.body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
        self.headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        self.closed = closed

    @property
    def error(self) -> tuple[str, str]:
        body = json.loads(self.body)
        assert self.headers["x-amzn-errortype"] == body["Code"]
        return body["Code"], body["Message"]


def exchange(port: int, request: bytes, *, wait: float = 5.0) -> Answer:
    """Send ``request`` as it is; read until the server closes, or ``wait`` runs out."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(request)
        data = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                return Answer(data, closed=False)
            if not chunk:
                return Answer(data, closed=True)
            data += chunk
    return Answer(data, closed=False)


def request(
    port: int,
    method: str = "POST",
    path: str = "/v1/registries/name/planted",
    body: bytes = b"",
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    length: str | None = None,
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1"]
    if host != "":
        lines.append(f"Host: {host or f'127.0.0.1:{port}'}")
    all_headers = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def registries(emulator: Emulator) -> list[str]:
    pages = make_client(emulator).get_paginator("list_registries").paginate()
    return [r["RegistryName"] for page in pages for r in page["Registries"]]


# Malformed Content-Length --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "message"),
    [
        ("abc", "Content-Length 'abc' is not a non-negative integer"),
        ("-5", "Content-Length '-5' is not a non-negative integer"),
        ("1e3", "Content-Length '1e3' is not a non-negative integer"),
        ("\u00b2", "is not a non-negative integer"),  # str.isdigit() says yes; int() says no
        ("99999999999999999999", "is not a non-negative integer"),
        (str(MAX_BODY + 1), f"at most {MAX_BODY} are accepted"),
    ],
)
def test_a_malformed_content_length_is_a_400_and_the_emulator_keeps_serving(
    emulator: Emulator, capfd: pytest.CaptureFixture[str], length: str, message: str
) -> None:
    answer = exchange(emulator.port, request(emulator.port, length=length), wait=3)
    assert answer.status == 400, answer.body
    code, text = answer.error
    assert code == "BadRequestException" and message in text
    assert answer.closed  # an unread body leaves the stream out of step: the server hangs up
    assert registries(emulator) == []
    assert "Traceback" not in capfd.readouterr().err


def test_two_content_lengths_and_a_chunked_body_are_refused(emulator: Emulator) -> None:
    port = emulator.port
    doubled = request(port, headers={"Content-Length": "0"}, body=b"{}")
    answer = exchange(port, doubled)
    assert answer.status == 400 and "more than one Content-Length" in answer.error[1]
    chunked = (
        f"POST /v1/registries/name/planted HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    ).encode()
    answer = exchange(port, chunked)
    assert answer.status == 400 and "Transfer-Encoding is not supported" in answer.error[1]
    assert answer.closed and registries(emulator) == []


# Stalled and trickling bodies ---------------------------------------------------------------


def test_a_client_that_promises_a_body_and_sends_nothing_gets_its_thread_taken_back(
    emulator: Emulator,
) -> None:
    started = time.monotonic()
    answer = exchange(emulator.port, request(emulator.port, length="100"), wait=10)
    assert answer.status == 400 and "did not arrive within 1 s" in answer.error[1]
    assert answer.closed and time.monotonic() - started < 5


def test_a_body_sent_a_byte_at_a_time_is_cut_off_at_the_request_timeout(
    emulator: Emulator,
) -> None:
    body = json.dumps({"Description": "x" * 200}).encode()
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request(emulator.port, body=b"", length=str(len(body))))
        started = time.monotonic()
        answered = b""
        for byte in body:  # every byte well within the socket timeout, the whole far past it
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
            sock.setblocking(False)
            try:
                answered += sock.recv(65536)
            except BlockingIOError:
                pass
            except OSError:
                break
            finally:
                sock.setblocking(True)
            if answered or time.monotonic() - started > 5:
                break
    assert answered.startswith(b"HTTP/1.1 400"), answered
    assert time.monotonic() - started < 3
    assert registries(emulator) == []


def test_an_idle_connection_is_closed_after_the_timeout(emulator: Emulator) -> None:
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the server, not by our 5 s timeout
        assert time.monotonic() - started < 4


# Web pages: Host, Origin, text/plain --------------------------------------------------------


def test_a_web_page_cannot_plant_a_registry_with_a_text_plain_post(emulator: Emulator) -> None:
    """What a page's ``fetch(url, {method: "POST", mode: "no-cors", body})`` sends: no
    preflight is needed for text/plain, and the browser adds its Origin."""
    port = emulator.port
    page = request(
        port,
        body=b'{"Description": "planted"}',
        headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": "https://evil.example"},
    )
    answer = exchange(port, page)
    assert answer.status == 403 and answer.error[0] == "ForbiddenException"
    assert "Origin 'https://evil.example'" in answer.error[1]
    # Without the Origin (a browser that left it out): still refused, as no SDK sends text/plain.
    plain = request(
        port, body=b'{"Description": "planted"}', headers={"Content-Type": "text/plain"}
    )
    answer = exchange(port, plain)
    assert answer.status == 400 and "is not application/json" in answer.error[1]
    # Any Origin at all, a local one and "null" (sandboxed frames) included.
    for origin in ("http://127.0.0.1:8000", "null"):
        answer = exchange(port, request(port, headers={"Origin": origin}, body=b"{}"))
        assert answer.status == 403, origin
    assert registries(emulator) == []


@pytest.mark.parametrize(
    "host",
    ["attacker.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1", "localhost", ""],
    ids=["rebound name", "rebinding service", "other port", "no port", "no Host header"],
)
def test_a_host_header_that_does_not_name_the_emulator_is_refused(
    emulator: Emulator, host: str
) -> None:
    answer = exchange(emulator.port, request(emulator.port, host=host.format(port=emulator.port)))
    assert answer.status == 403 and answer.error[0] == "ForbiddenException"
    assert "--allow-host" in answer.error[1]
    assert registries(emulator) == []


def test_loopback_names_and_allowed_hosts_are_served() -> None:
    with Emulator(allow_hosts=("host.docker.internal",)) as emu:
        port = emu.port
        for number, host in enumerate(
            ("localhost", "LOCALHOST", "[::1]", "127.0.0.1", "host.docker.internal")
        ):
            path = f"/v1/registries/name/r{number}"
            answer = exchange(port, request(port, path=path, host=f"{host}:{port}", body=b"{}"))
            assert answer.status == 201, (host, answer.body)
        assert registries(emu) == ["r0", "r1", "r2", "r3", "r4"]


# Deep and non-JSON bodies and content -------------------------------------------------------


def test_a_deeply_nested_body_is_a_400_not_an_internal_error(emulator: Emulator) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = exchange(emulator.port, request(emulator.port, body=deep))
    assert answer.status == 400, answer.body
    assert answer.error == (
        "BadRequestException",
        f"The request body nests 100000 levels deep; at most {MAX_DEPTH} are allowed",
    )


def test_deep_content_is_refused_and_content_as_deep_as_the_limit_is_kept(
    emulator: Emulator,
) -> None:
    client = make_client(emulator)
    client.create_registry(RegistryName="r")
    too_deep = '{"a":' * 5000 + "1" + "}" * 5000
    with pytest.raises(ClientError) as excinfo:
        client.create_schema(
            RegistryName="r", SchemaName="S", Type="JSONSchemaDraft4", Content=too_deep
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert error["Message"] == f"Content nests 5000 levels deep; at most {MAX_DEPTH} are allowed"
    # Brackets inside strings do not nest; the deepest allowed content is stored as sent.
    deepest = '{"a":' * (MAX_DEPTH - 1) + '["[[[{{{\\"]]]"]' + "}" * (MAX_DEPTH - 1)
    client.create_schema(RegistryName="r", SchemaName="S", Type="JSONSchemaDraft4", Content=deepest)
    assert client.describe_schema(RegistryName="r", SchemaName="S")["Content"] == deepest


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_content_with_a_number_json_does_not_have_is_a_bad_request(
    emulator: Emulator, number: str
) -> None:
    client = make_client(emulator)
    client.create_registry(RegistryName="r")
    content = '{"type": "object", "maximum": ' + number + "}"
    with pytest.raises(ClientError) as excinfo:
        client.create_schema(
            RegistryName="r", SchemaName="S", Type="JSONSchemaDraft4", Content=content
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert f"{number} is not a JSON number" in error["Message"]
    client.create_schema(RegistryName="r", SchemaName="S", Type="JSONSchemaDraft4", Content=DRAFT4)
    with pytest.raises(ClientError):
        client.update_schema(RegistryName="r", SchemaName="S", Content=content)
    versions = client.list_schema_versions(RegistryName="r", SchemaName="S")["SchemaVersions"]
    assert [v["SchemaVersion"] for v in versions] == ["1"]


def test_a_body_with_nan_or_not_utf8_is_a_bad_request(emulator: Emulator) -> None:
    for body in (b'{"Description": NaN}', b'{"Description": "\xff"}'):
        answer = exchange(emulator.port, request(emulator.port, body=body))
        assert answer.status == 400 and answer.error[0] == "BadRequestException", body
    assert registries(emulator) == []


# Many clients at once -----------------------------------------------------------------------


def test_two_hundred_simultaneous_connections_are_all_answered(emulator: Emulator) -> None:
    """All connect before any is served; socketserver's default backlog of 5 left most of
    them waiting on SYN retries (49 of 200 answered in 10 s)."""
    clients = 200
    port = emulator.port
    get = f"GET /v1/registries HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    selector = selectors.DefaultSelector()
    sockets = []
    try:
        for _ in range(clients):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            selector.register(sock, selectors.EVENT_WRITE, bytearray())
            sockets.append(sock)
        answers: dict[socket.socket, bytes] = {}
        deadline = time.monotonic() + 15
        while len(answers) < clients and time.monotonic() < deadline:
            for key, events in selector.select(0.1):
                sock, received = key.fileobj, key.data
                assert isinstance(sock, socket.socket)
                try:
                    if events & selectors.EVENT_WRITE:
                        sock.sendall(get.encode())
                        selector.modify(sock, selectors.EVENT_READ, received)
                        continue
                    chunk = sock.recv(65536)
                except OSError as e:  # a reset: the failure this test is about
                    answers[sock] = repr(e).encode()
                    selector.unregister(sock)
                    continue
                received.extend(chunk)
                if not chunk:
                    answers[sock] = bytes(received)
                    selector.unregister(sock)
    finally:
        for sock in sockets:
            sock.close()
        selector.close()
    ok = [a for a in answers.values() if a.startswith(b"HTTP/1.1 200")]
    assert len(ok) == clients, f"{len(ok)} of {clients} answered"


# kill -9 ------------------------------------------------------------------------------------


def test_stale_temporary_files_are_removed_at_start_and_nothing_else(tmp_path: Path) -> None:
    state = tmp_path / "schemas.json"
    stale = [tmp_path / ".schemas.json.k2_x9q0a.tmp", tmp_path / ".schemas.json.abcdefgh.tmp"]
    kept = [tmp_path / "notes.txt", tmp_path / ".schemas.json.backup", tmp_path / ".other.k2_x9q0a"]
    for path in (*stale, *kept):
        path.write_text("{")
    with Emulator(state_file=state) as emu:
        make_client(emu).create_registry(RegistryName="r")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (*kept, state))


def test_state_survives_kill_9_mid_write_with_every_acknowledged_write(tmp_path: Path) -> None:
    """Five times: start the emulator, write from a thread, kill it with SIGKILL while the
    writes go on; after each restart every acknowledged write is there (the one in flight may
    or may not be), and the temporary file a killed save leaves is cleaned up at start."""
    state = tmp_path / "schemas.json"
    acknowledged: set[str] = set()
    attempted: set[str] = set()
    for round_ in range(5):
        command = [sys.executable, "-m", "eventcontracts.emulator", "--port", "0"]
        process = subprocess.Popen([*command, "--state", str(state)], stderr=subprocess.PIPE)
        try:
            assert process.stderr is not None
            line = process.stderr.readline().decode()
            url = re.search(r"http://\S+", line)
            assert url, line
            client = boto3.client(
                "schemas",
                region_name="us-east-1",
                endpoint_url=url.group(0),
                aws_access_key_id="x",
                aws_secret_access_key="x",
                config=Config(retries={"total_max_attempts": 1}),
            )
            pages = client.get_paginator("list_registries").paginate()
            listed = {r["RegistryName"] for page in pages for r in page["Registries"]}
            assert acknowledged <= listed <= attempted, f"round {round_}"
            acknowledged.update(listed)  # an unacknowledged write that landed is now known

            def write(round_: int = round_, client: Any = client) -> None:
                for n in range(200):
                    name = f"r{round_}-{n}"
                    attempted.add(name)
                    try:
                        client.create_registry(RegistryName=name, Description="x" * 200)
                    except Exception:
                        return  # killed
                    acknowledged.add(name)

            writer = threading.Thread(target=write)
            writer.start()
            time.sleep(0.2 + 0.1 * round_)
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        writer.join(timeout=10)
    with Emulator(state_file=state) as emu:
        final = set(registries(emu))
    assert acknowledged <= final <= attempted and len(final) > 5
    assert [p.name for p in tmp_path.iterdir()] == [state.name]


@pytest.mark.parametrize("entry", ["command", "module"])
def test_a_port_out_of_range_is_a_usage_error_not_an_internal_one(
    entry: str, tmp_path: Path
) -> None:
    # bind() refuses a port above 65535 with an OverflowError: the flag is checked first.
    args = ["eventcontracts", "emulator"] if entry == "command" else ["eventcontracts.emulator"]
    proc = subprocess.run(
        [sys.executable, "-m", *args, "--port", "99999"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "--port" in proc.stderr and "99999" in proc.stderr
