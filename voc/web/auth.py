"""Who is asking: bearer tokens for scripts, a session cookie for browsers, roles per endpoint.

- API clients send `Authorization: Bearer <token>`.
- Browsers log in once on /login with their token; the server sets an HttpOnly, SameSite=Strict
  session cookie (a random id; sessions live in memory, so a restart logs everyone out).
- A request authenticated by the cookie that changes something (POST/PUT/DELETE) must also carry
  the header `X-Voc-Request: 1`, which the app's own scripts send and a cross-site form cannot.
- `POST /api/alerts` also accepts `?token=` because `voc watch`'s webhook sink sends no headers
  of its own; give it a `feeder` token, which can do nothing else.
- Open mode (no tokens configured, loopback only): everyone is the local admin.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time

from fastapi import HTTPException, Request

from voc.web.config import Principal, WebConfig, token_hash

COOKIE = "voc_session"
CSRF_HEADER = "x-voc-request"
LOCAL = Principal("local", "admin")
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Sessions:
    def __init__(self, hours: float):
        self.ttl = hours * 3600
        self._lock = threading.Lock()
        self._by_id: dict[str, tuple[Principal, float]] = {}

    def create(self, who: Principal) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            self._by_id = {k: v for k, v in self._by_id.items() if v[1] > now}
            self._by_id[sid] = (who, now + self.ttl)
        return sid

    def get(self, sid: str | None) -> Principal | None:
        if not sid:
            return None
        with self._lock:
            item = self._by_id.get(sid)
        if item is None or item[1] < time.time():
            return None
        return item[0]

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


def principal_for_token(cfg: WebConfig, token: str | None) -> Principal | None:
    if not token:
        return None
    digest = token_hash(token)
    for known, who in cfg.tokens.items():  # constant-time per comparison
        if hmac.compare_digest(known, digest):
            return who
    return None


def identify(request: Request, allow_query_token: bool = False) -> tuple[Principal | None, str]:
    """(who, how): how is "bearer", "cookie", "query", "open" or "" when nobody."""
    cfg: WebConfig = request.app.state.cfg
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        who = principal_for_token(cfg, auth[7:].strip())
        return (who, "bearer") if who else (None, "bad-token")
    who = request.app.state.sessions.get(request.cookies.get(COOKIE))
    if who:
        return who, "cookie"
    if allow_query_token and request.query_params.get("token"):
        who = principal_for_token(cfg, request.query_params["token"])
        return (who, "query") if who else (None, "bad-token")
    if cfg.open_mode:
        return LOCAL, "open"
    return None, ""


def require(role: str, allow_query_token: bool = False):
    """A FastAPI dependency: the caller's Principal, or 401 (who are you?) / 403 (not allowed)."""

    def dep(request: Request) -> Principal:
        who, how = identify(request, allow_query_token)
        if who is None:
            raise HTTPException(401, "missing or invalid token" if how == "bad-token" else "authentication required",
                                headers={"WWW-Authenticate": "Bearer"})
        if how in ("cookie", "open") and request.method in _UNSAFE and request.headers.get(CSRF_HEADER) != "1":
            raise HTTPException(403, f"missing {CSRF_HEADER} header (cross-site request?)")
        if not who.can(role):
            raise HTTPException(403, f"this needs the {role} role; you are {who.role}")
        request.state.who = who
        return who

    dep.__name__ = f"require_{role}"
    return dep


def page_user(request: Request) -> Principal | None:
    """For HTML pages: the viewer, or None (the page then redirects to /login)."""
    who, _ = identify(request)
    return who
