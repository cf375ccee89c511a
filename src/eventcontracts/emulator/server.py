"""The HTTP side: a threading HTTP server speaking the schemas rest-json protocol, the
``Emulator`` (background thread, context manager) and ``serve`` (foreground, for the CLI)."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eventcontracts.emulator import guard, routing
from eventcontracts.emulator.bindings import CodeBindings
from eventcontracts.emulator.errors import ApiError, bad_request
from eventcontracts.emulator.faults import Fault, FaultCounter, Faults
from eventcontracts.emulator.operations import Request, Service, decode_body
from eventcontracts.emulator.state import State
from eventcontracts.errors import EventContractsError

# Connections waiting to be accepted. socketserver's default of 5 reset most of 1,000 clients
# connecting at once; the kernel caps this at net.core.somaxconn.
BACKLOG = 1024
# Seconds a connection may be silent (idle between requests, or mid-request), and seconds a
# request's body may take in all: a client that sends a Content-Length and then nothing, or a
# byte at a time, gives its thread back.
REQUEST_TIMEOUT = 30.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        service: Service,
        faults: Faults,
        timeout: float,
        allow_hosts: tuple[str, ...],
    ) -> None:
        self.service = service
        self.faults = FaultCounter(faults)
        self.request_timeout = timeout
        super().__init__(address, _Handler)
        self.allowed_hosts = guard.allowed_hosts(address[0], self.server_address[1], allow_hosts)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or stalled is no error of the emulator's: no traceback."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


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

    def setup(self) -> None:
        # StreamRequestHandler.setup applies ``timeout`` to every read and write on this
        # connection: a silent client gives its thread back. The server's setting, per instance
        # (typeshed calls ``timeout`` a ClassVar; setup() reads it from the instance all the same).
        self.timeout = self.server.request_timeout  # type: ignore[misc]
        super().setup()

    def _handle(self) -> None:
        try:
            guard.check_caller(self.headers, self.server.allowed_hosts)
            raw = self._read_body(guard.body_length(self.headers))
            if raw:
                guard.check_media_type(self.headers)
        except ApiError as e:
            # The body may be unread or half read: this connection cannot carry another request.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._send(e.status, e.body(), error=e.code)
            return
        except OSError:  # the client went away, or stalled past the timeout: nobody to answer
            self.close_connection = True
            return
        fault = self.server.faults.next_call()
        if fault is Fault.DROP:
            self._drop()
            return
        try:
            if fault is Fault.FAIL:
                raise ApiError("InternalServerErrorException", "Injected fault: internal error")
            if fault is Fault.THROTTLE:
                raise ApiError("TooManyRequestsException", "Injected fault: rate exceeded")
            if fault is Fault.DENY:
                raise ApiError("AccessDeniedException", "Injected fault: not authorized")
            status, body = self._dispatch(raw)
        except ApiError as e:
            self._send(e.status, e.body(), error=e.code)
            return
        except Exception as e:  # the emulator's own bug: answer as the service would
            error = ApiError("InternalServerErrorException", f"{type(e).__name__}: {e}")
            self._send(error.status, error.body(), error=error.code)
            return
        self._send(status, body)

    def _read_body(self, length: int) -> bytes:
        """``length`` bytes of body, within REQUEST_TIMEOUT in all (the socket's timeout bounds
        each read; this bounds a client that trickles); BadRequestException if they do not
        all come."""
        timeout = self.server.request_timeout
        late = f"The request body did not arrive within {timeout:g} s"
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        missing = length
        while missing:
            if time.monotonic() > deadline:
                raise bad_request(late)
            try:
                chunk = self.rfile.read1(min(missing, 65536))
            except TimeoutError:
                raise bad_request(late) from None
            if not chunk:
                raise bad_request(f"The request body ended {missing} bytes short of Content-Length")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _dispatch(self, raw: bytes) -> tuple[int, dict[str, Any] | bytes | None]:
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

    def _send(
        self, status: int, body: dict[str, Any] | bytes | None, error: str | None = None
    ) -> None:
        if isinstance(body, bytes):  # a blob payload: the bytes are the body
            payload, media_type = body, "application/octet-stream"
        else:
            payload = b"" if body is None else json.dumps(body).encode("utf-8")
            media_type = "application/json"
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", media_type)
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
        *,
        allow_hosts: tuple[str, ...] = (),
        request_timeout: float = REQUEST_TIMEOUT,
        code_binding_seconds: float = 0.0,
    ) -> None:
        self.host = host
        self.port = port
        self.state_file = Path(state_file) if state_file is not None else None
        self.faults = faults or Faults()
        self.region = region
        self.account = account
        self.allow_hosts = allow_hosts
        self.request_timeout = request_timeout
        # A new code binding stays CREATE_IN_PROGRESS at least this long (it takes as long as
        # generating its code otherwise): for trying a client's polling against it.
        self.code_binding_seconds = code_binding_seconds
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def _bind(self) -> _Server:
        service = Service(
            State(self.state_file),
            self.region,
            self.account,
            CodeBindings(min_seconds=self.code_binding_seconds),
        )
        try:
            server = _Server(
                (self.host, self.port),
                service,
                self.faults,
                self.request_timeout,
                self.allow_hosts,
            )
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
        return f"http://{guard.bracketed(self.host)}:{self.port}"

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
    allow_hosts: tuple[str, ...] = (),
) -> None:
    """Run the emulator in the foreground until Ctrl-C; what ``eventcontracts emulator`` calls."""
    where = f"state: {state}" if state else "in memory"

    def ready(url: str) -> None:
        print(f"schemas emulator listening on {url} ({where})", file=sys.stderr, flush=True)

    emulator = Emulator(
        host=host, port=port, state_file=state, faults=faults, allow_hosts=allow_hosts
    )
    emulator.serve_forever(ready)
