"""The HTTP side: a threading HTTP server speaking the schemas rest-json protocol, the
``Emulator`` (background thread, context manager) and ``serve`` (foreground, for the CLI)."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eventcontracts.emulator import routing
from eventcontracts.emulator.errors import ApiError
from eventcontracts.emulator.faults import Fault, FaultCounter, Faults
from eventcontracts.emulator.operations import Request, Service, decode_body
from eventcontracts.emulator.state import State
from eventcontracts.errors import EventContractsError


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], service: Service, faults: Faults) -> None:
        self.service = service
        self.faults = FaultCounter(faults)
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and the CLI don't want a line per request

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fault = self.server.faults.next_call()
        if fault is Fault.DROP:
            self._drop()
            return
        try:
            if fault is Fault.FAIL:
                raise ApiError("InternalServerErrorException", "Injected fault: internal error")
            if fault is Fault.THROTTLE:
                raise ApiError("TooManyRequestsException", "Injected fault: rate exceeded")
            status, body = self._dispatch(raw)
        except ApiError as e:
            self._send(e.status, e.body(), error=e.code)
            return
        except Exception as e:  # the emulator's own bug: answer as the service would
            error = ApiError("InternalServerErrorException", f"{type(e).__name__}: {e}")
            self._send(error.status, error.body(), error=error.code)
            return
        self._send(status, body)

    def _dispatch(self, raw: bytes) -> tuple[int, dict[str, Any] | None]:
        url = urlsplit(self.path)
        found = routing.match(self.command, url.path)
        if found is None:
            raise ApiError(
                "NotFoundException", f"No schemas operation for {self.command} {url.path}"
            )
        operation, labels = found
        query = parse_qs(url.query, keep_blank_values=True)
        request = Request(labels=labels, query=query, body=decode_body(raw))
        return self.server.service.call(operation, request)

    def _send(self, status: int, body: dict[str, Any] | None, error: str | None = None) -> None:
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        if error is not None:
            self.send_header("x-amzn-errortype", error)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self) -> None:
        """Close the connection without a response, as a network failure would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class Emulator:
    """An offline schemas service on ``host:port`` (0: any free port), served from a thread.

    ``with Emulator() as emu: boto3.client("schemas", endpoint_url=emu.endpoint_url, ...)``
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state_file: str | Path | None = None,
        faults: Faults | None = None,
        region: str = "us-east-1",
        account: str = "123456789012",
    ) -> None:
        self.host = host
        self.port = port
        self.state_file = Path(state_file) if state_file is not None else None
        self.faults = faults or Faults()
        self.region = region
        self.account = account
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def _bind(self) -> _Server:
        service = Service(State(self.state_file), self.region, self.account)
        try:
            server = _Server((self.host, self.port), service, self.faults)
        except OSError as exc:  # port taken, privileged, or an address this host does not have
            raise EventContractsError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}; "
                "pick another --port (0 takes any free one)"
            ) from None
        self.port = server.server_address[1]
        return server

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._server = self._bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns quickly
            name="schemas-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def serve_forever(self, ready: Callable[[str], None] | None = None) -> None:
        """Serve in this thread until interrupted (Ctrl-C); ``ready`` gets the endpoint URL."""
        server = self._server = self._bind()
        try:
            if ready is not None:
                ready(self.endpoint_url)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str = "127.0.0.1",
    port: int = 4599,
    state: str | Path | None = None,
    faults: Faults | None = None,
) -> None:
    """Run the emulator in the foreground until Ctrl-C; what ``eventcontracts emulator`` calls."""
    where = f"state: {state}" if state else "in memory"

    def ready(url: str) -> None:
        print(f"schemas emulator listening on {url} ({where})", file=sys.stderr, flush=True)

    Emulator(host=host, port=port, state_file=state, faults=faults).serve_forever(ready)
