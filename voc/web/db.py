"""The web app's handle on the DuckDB store: one database, a cursor per thread, and a few small tables
of the app's own beside the Store's `records`/`ingests` (see voc/web/index.py for the query index).

- `web_settings`  key -> JSON value, edited by admins on /settings.
- `web_unmasked`  id -> original (unmasked) text, only for uploads an admin chose to keep unmasked.
- `web_cache`     computed report JSON (full pain-point report, weekly report) keyed by the filter,
                  the data version and the lexicon hash; stale keys are simply never asked again.
- `web_alerts`    every alert received (for the board to survive a restart) and `web_alert_state`
                  (acknowledged / resolved, by whom, when).

DuckDB allows one writing process per file: while `voc serve` runs, it owns the store (run
`voc ingest` through the upload page, or stop the server). Inside the process, every thread gets its
own cursor (DuckDB connections are not thread-safe; cursors of one database are).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from voc.io.store import Store
from voc.web import index

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_settings (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS web_unmasked (id VARCHAR PRIMARY KEY, raw_text VARCHAR);
CREATE TABLE IF NOT EXISTS web_cache (key VARCHAR PRIMARY KEY, created TIMESTAMP DEFAULT current_timestamp, body VARCHAR);
CREATE TABLE IF NOT EXISTS web_alerts (alert_id VARCHAR, received TIMESTAMP DEFAULT current_timestamp,
                                       conversation_id VARCHAR, body VARCHAR);
CREATE TABLE IF NOT EXISTS web_alert_state (conversation_id VARCHAR PRIMARY KEY, status VARCHAR,
                                            by_name VARCHAR, changed_at TIMESTAMP DEFAULT current_timestamp);
"""


class Database:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.store = Store(self.path)  # creates the records schema when the file is new
        self._lock = threading.Lock()
        self._local = threading.local()
        self._cursors: list = []
        with self._lock:
            self.store.con.execute(SCHEMA)
            index.ensure(self.store.con)

    def cursor(self):
        """This thread's cursor (created on first use)."""
        cur = getattr(self._local, "cur", None)
        if cur is None:
            with self._lock:
                cur = self.store.con.cursor()
                self._cursors.append(cur)
            self._local.cur = cur
        return cur

    def writer(self) -> Store:
        """A Store on its own connection to the same database, for one job thread."""
        return Store(self.path)

    def close(self) -> None:
        with self._lock:
            for cur in self._cursors:
                try:
                    cur.close()
                except Exception:
                    pass
            self._cursors.clear()
            self.store.close()

    # ------------------------------------------------------------------ data version
    def version(self) -> str:
        """Changes whenever records are ingested: caches keyed on it are never stale."""
        n_ing, n_rec = self.cursor().execute(
            "SELECT (SELECT count(*) FROM ingests), (SELECT count(*) FROM records)").fetchone()
        return f"{n_ing}.{n_rec}"

    def sync_index(self) -> dict:
        return index.sync(self.cursor())

    def sync_with(self, store: Store) -> dict:
        """Sync the index on a job's own connection (after it wrote records)."""
        return index.sync(store.con)

    # ------------------------------------------------------------------ settings
    def get_settings(self) -> dict:
        return {k: json.loads(v) for k, v in self.cursor().execute("SELECT key, value FROM web_settings").fetchall()}

    def put_settings(self, values: dict) -> None:
        cur = self.cursor()
        for k, v in values.items():
            cur.execute("INSERT OR REPLACE INTO web_settings VALUES (?, ?)", [k, json.dumps(v)])

    # ------------------------------------------------------------------ cache
    def cache_get(self, key: str) -> dict | None:
        text = self.cache_get_text(key)
        return json.loads(text) if text is not None else None

    def cache_get_text(self, key: str) -> str | None:
        row = self.cursor().execute("SELECT body FROM web_cache WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def cache_put(self, key: str, body: dict) -> None:
        self.cursor().execute("INSERT OR REPLACE INTO web_cache (key, body) VALUES (?, ?)",
                              [key, json.dumps(body, ensure_ascii=False, default=str)])

    # ------------------------------------------------------------------ unmasked originals
    def unmasked(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(self.cursor().execute(
            "SELECT id, raw_text FROM web_unmasked WHERE id IN (SELECT unnest(?))", [ids]).fetchall())

    def records_by_id(self, ids: list[str]) -> dict[str, dict]:
        if not ids:
            return {}
        rows = self.cursor().execute("SELECT id, record FROM records WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {i: json.loads(r) for i, r in rows}
