"""Where chat turns come from and where alerts go, for `voc watch`.

Sources: `-` (JSONL on stdin), a file (optionally followed as it grows), a Redis stream read with a
consumer group (`redis://host:port/0?stream=chat-turns&group=voc`). Sinks: `-`/`stdout` (JSONL),
a Redis stream (`redis://host:port/0?stream=voc-alerts`), a webhook (`http(s)://...`, also written
`webhook:http(s)://...`).
Redis and HTTP libraries are imported only when such a URL is used.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from voc.errors import ConfigError


def is_redis(spec: str | None) -> bool:
    return bool(spec) and spec.startswith(("redis://", "rediss://", "unix://"))


def redis_params(spec: str, defaults: dict) -> tuple[str, dict]:
    """`redis://h:p/0?stream=x&group=y` -> (connection url without the query, {stream, group, ...})."""
    parts = urlsplit(spec)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    params = {**defaults, **query}
    missing = [k for k, v in params.items() if v in (None, "")]
    if missing:
        raise ConfigError(f"{spec}: missing {', '.join(missing)} (e.g. ?stream=chat-turns&group=voc)")
    return parts._replace(query="").geturl(), params


def open_sink(spec: str, *, dead_letter: str | None = None, retries: int = 5, backoff_s: float = 0.2):
    """A sink object with `write(alert)`, `close()` and an optional `redis_target` (url, stream)."""
    if spec in ("-", "stdout"):
        from voc.transports.stdio import StdoutSink

        return StdoutSink()
    if is_redis(spec):
        from voc.transports.redis_streams import RedisStreamSink

        return RedisStreamSink(spec)
    if spec.startswith("webhook:"):
        spec = spec[len("webhook:"):]
    if spec.startswith(("http://", "https://")):
        from voc.transports.webhook import WebhookSink

        return WebhookSink(spec, dead_letter=dead_letter or "voc-watch-dead-letter.jsonl",
                           retries=retries, backoff_s=backoff_s)
    raise ConfigError(f"unknown sink {spec!r}: use -, stdout, redis://...?stream=NAME or an http(s) URL")
