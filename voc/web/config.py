"""Settings of `voc serve`: where the store is, who may do what (tokens and roles), and limits.

Tokens (see `load_tokens`) come from a TOML file (`--tokens FILE` or $VOC_WEB_TOKENS_FILE) and/or
from $VOC_WEB_TOKENS. Roles:

- `analyst`: reads reports, records (masked), taxonomy, explain, analyze-text, the alerts board;
  acknowledges and resolves alerts; exports the current view.
- `admin`: everything an analyst does, plus uploads (ingest jobs), settings, cancelling jobs, and
  unmasked originals where an upload stored them.
- `feeder`: may only POST alerts (for `voc watch --sink webhook:...`).

Without any token the server runs in *open mode* (everyone is admin), and only on a loopback
address; bound to any other address it refuses to start.
"""
from __future__ import annotations

import hashlib
import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import ConfigError

ROLES = ("analyst", "admin", "feeder")
MIN_TOKEN_CHARS = 16
DEFAULT_MAX_UPLOAD_MB = 200


@dataclass(frozen=True)
class Principal:
    name: str
    role: str

    def can(self, needed: str) -> bool:
        """admin can do everything; analyst what analysts do; feeder only feed alerts."""
        return needed == "any" or self.role == "admin" or self.role == needed


@dataclass
class WebConfig:
    store: Path
    host: str = "127.0.0.1"
    port: int = 8000
    tokens: dict[str, Principal] = field(default_factory=dict)  # sha256(token) hex -> who
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB << 20
    upload_dir: Path | None = None  # default: a private temp directory
    pipeline: str | None = None
    lexicons: str | None = None
    report_settings: str | None = None
    job_mode: str = "process"  # "process": analysis in a child process; "thread": in the server
    session_hours: float = 12.0
    cookie_secure: bool = False  # set when served over https (behind a proxy)

    @property
    def open_mode(self) -> bool:
        return not self.tokens

    def check(self) -> None:
        if self.open_mode and not is_loopback(self.host):
            raise ConfigError(
                f"refusing to serve on {self.host} without tokens: anyone who can reach it would be admin. "
                "Configure tokens (--tokens FILE or VOC_WEB_TOKENS) or bind to 127.0.0.1")
        if self.job_mode not in ("process", "thread"):
            raise ConfigError(f"job mode {self.job_mode!r}: use process or thread")
        if self.max_upload_bytes < 1024:
            raise ConfigError("the upload limit must be at least 1 KB")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load_tokens(path: str | Path | None = None, env: dict | None = None) -> dict[str, Principal]:
    """Tokens from a TOML file and from $VOC_WEB_TOKENS ("role:token,role:token").

    The file holds one table per token; store the sha256 of the token rather than the token itself:

        [[token]]
        name = "li.na"          # shown in the UI and in the acknowledgement trail
        role = "admin"          # analyst | admin | feeder
        sha256 = "<hex>"        # python -c 'import hashlib,sys;print(hashlib.sha256(sys.argv[1].encode()).hexdigest())' TOKEN
        # token = "<the token>" # accepted too, but then the file is a secret
    """
    env = os.environ if env is None else env
    out: dict[str, Principal] = {}
    path = path or env.get("VOC_WEB_TOKENS_FILE")
    if path:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"tokens file not found: {p}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: not valid TOML: {exc}") from None
        for i, t in enumerate(data.get("token", [])):
            where = f"{p}: token #{i + 1}"
            role = t.get("role")
            if role not in ROLES:
                raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}, got {role!r}")
            if "sha256" in t:
                digest = str(t["sha256"]).lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise ConfigError(f"{where}: sha256 must be 64 hex digits")
            elif "token" in t:
                _check_token(str(t["token"]), where)
                digest = token_hash(str(t["token"]))
            else:
                raise ConfigError(f"{where}: give sha256 (preferred) or token")
            out[digest] = Principal(str(t.get("name") or f"{role}-{i + 1}"), role)
    for i, item in enumerate(x for x in env.get("VOC_WEB_TOKENS", "").split(",") if x.strip()):
        role, sep, token = item.strip().partition(":")
        if not sep or role not in ROLES:
            raise ConfigError(f"VOC_WEB_TOKENS item #{i + 1}: use role:token with role in {', '.join(ROLES)}")
        _check_token(token, f"VOC_WEB_TOKENS item #{i + 1}")
        out[token_hash(token)] = Principal(f"{role}-{i + 1}", role)
    return out


def _check_token(token: str, where: str) -> None:
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"{where}: tokens need at least {MIN_TOKEN_CHARS} characters "
                          "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(24))')")
