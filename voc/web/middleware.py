"""ASGI middleware: request body limits, security headers, and the Host check of open mode."""
from __future__ import annotations

import json
import time

from starlette.exceptions import HTTPException

API_BODY_LIMIT = 8 << 20  # JSON API calls (alerts, analyze-text batches); uploads have their own limit
UPLOAD_PATHS = ("/api/uploads",)
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


class TooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"request body larger than the limit of {limit:,} bytes")


async def _send_json(send, status: int, body: dict, headers: list | None = None) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
                + (headers or [])})
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """413 for a body over the limit: at once from Content-Length, else while it streams in (so a
    chunked upload cannot fill the disk before anyone looks at its size)."""

    def __init__(self, app, upload_limit):
        self.app = app
        self.upload_limit = upload_limit  # () -> bytes, read per request (admins may change it)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.upload_limit() if scope["path"].startswith(UPLOAD_PATHS) else API_BODY_LIMIT
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return await _send_json(send, 400, {"detail": "bad Content-Length"})
            if too_big:
                return await _send_json(send, 413, {"detail": TooLarge(limit).detail}, [(b"connection", b"close")])
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return msg

        async def tracked(msg):
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except TooLarge as exc:
            if not started:
                await _send_json(send, 413, {"detail": exc.detail}, [(b"connection", b"close")])


class SecurityHeaders:
    """CSP (scripts only from this server: no inline script, no CDN), no sniffing, no referrer; and
    in open mode, requests must name a loopback host (a DNS-rebinding page cannot reach the API).
    Also `Server-Timing: app;dur=<wall ms>, cpu;dur=<process CPU ms>` up to the response head, so a
    client can tell server work from waiting for a busy machine."""

    def __init__(self, app, open_mode: bool, host: str):
        self.app = app
        self.check_host = open_mode
        self.allowed = LOOPBACK_NAMES | {host.lower()}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.check_host:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.allowed:
                return await _send_json(send, 421, {"detail": f"host {host!r} not served in open mode"})

        t0, c0 = time.perf_counter(), time.process_time()

        async def with_headers(msg):
            if msg["type"] == "http.response.start":
                hs = list(msg.get("headers") or [])
                timing = f"app;dur={1000 * (time.perf_counter() - t0):.1f}, cpu;dur={1000 * (time.process_time() - c0):.1f}"
                hs.append((b"server-timing", timing.encode()))
                names = {k.lower() for k, _ in hs}
                for k, v in ((b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                             (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"SAMEORIGIN"),
                             (b"cache-control", b"no-store")):
                    if k not in names:
                        hs.append((k, v))
                msg = {**msg, "headers": hs}
            await send(msg)

        await self.app(scope, receive, with_headers)
