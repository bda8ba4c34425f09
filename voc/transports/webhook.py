"""Webhook sink: POST each alert as JSON; retry with exponential backoff; dead-letter on failure.

Retried: connection errors, timeouts, HTTP 408, 425, 429 and 5xx (waits backoff_s * 2**attempt,
capped at max_backoff_s, honouring a numeric Retry-After). Permanent: any other 4xx, or retries
exhausted; the alert then goes to the dead-letter file (JSONL, one object per line with the alert,
the error and the attempts, fsynced) and the stream goes on. Each request carries an
`Idempotency-Key` header, `<alert_id>/<revision>` (an escalation update of the same alert is
revision 2), so a receiver can drop the duplicates at-least-once delivery may cause and still take
the update.
Uses only the standard library (urllib); `opener` and `sleep` are injectable for tests.
"""
from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request

from voc.monitor import delivery_key

log = logging.getLogger("voc.watch")
_RETRY_STATUS = {408, 425, 429}


class WebhookSink:
    redis_target = None

    def __init__(self, url: str, dead_letter: str, retries: int = 5, backoff_s: float = 0.2,
                 max_backoff_s: float = 10.0, timeout_s: float = 5.0, opener=None, sleep=time.sleep):
        self.url, self.dead_letter = url, dead_letter
        self.retries, self.backoff_s, self.max_backoff_s = retries, backoff_s, max_backoff_s
        self.timeout_s = timeout_s
        self.opener = opener or urllib.request.urlopen
        self.sleep = sleep
        self.sent = self.dead = self.attempts = 0

    def write(self, alert: dict) -> bool:
        """True when delivered; False when dead-lettered."""
        body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        error, tries = "", 0
        for attempt in range(self.retries + 1):
            self.attempts += 1
            tries += 1
            retry_after = None
            try:
                req = urllib.request.Request(self.url, data=body, method="POST", headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Idempotency-Key": delivery_key(alert), "User-Agent": "voc-watch"})
                with self.opener(req, timeout=self.timeout_s) as resp:
                    resp.read()
                self.sent += 1
                return True
            except urllib.error.HTTPError as exc:
                error = f"HTTP {exc.code}"
                if exc.code not in _RETRY_STATUS and exc.code < 500:
                    break  # the receiver rejected this alert: retrying will not help
                retry_after = _retry_after(exc)
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            if attempt < self.retries:
                wait = min(self.max_backoff_s, self.backoff_s * 2 ** attempt)
                if retry_after is not None:
                    wait = min(self.max_backoff_s, max(wait, retry_after))
                log.warning("webhook %s failed (%s); retry %d/%d in %.2fs", self.url, error, attempt + 1,
                            self.retries, wait)
                self.sleep(wait)
        self._dead_letter(alert, error, tries)
        return False

    def _dead_letter(self, alert: dict, error: str, tries: int) -> None:
        self.dead += 1
        log.error("webhook %s: giving up on alert %s (%s); written to %s", self.url,
                  alert.get("alert_id"), error, self.dead_letter)
        rec = {"alert": alert, "error": error, "url": self.url, "attempts": tries,
               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        with open(self.dead_letter, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def close(self) -> None:
        pass


def _retry_after(exc) -> float | None:
    try:
        value = exc.headers.get("Retry-After") if exc.headers else None
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
