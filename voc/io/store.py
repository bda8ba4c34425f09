"""The embedded store (DuckDB): analysed records appended idempotently, queried by week.

- The same record ingested twice is stored once; a changed record (same id, different content) is
  updated in place. Identity is the record id; change is a hash of the analysed contract record.
- Each batch is one transaction: a crash mid-ingest leaves every earlier batch intact and the
  interrupted one absent, so re-running the same ingest completes it.
- Only what the analyzer emits is stored: text with personal data already masked, and the other
  columns (meta) masked here (`voc.stages.pii.mask_meta`): a "手机号" column never reaches the store.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from voc.errors import InputError
from voc.reports.frame import parse_time, week_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL,
    ts TIMESTAMP,
    week VARCHAR,
    record JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS ingests (
    started_at TIMESTAMP DEFAULT current_timestamp,
    source VARCHAR, inserted BIGINT, updated BIGINT, unchanged BIGINT, voc_version VARCHAR, lexicon_hash VARCHAR
);
"""


def content_hash(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:24]


class StoreWriteError(InputError):
    """A write to the store failed (full disk, read-only file...): the message says how many records
    of this run were committed before it stopped; earlier batches stay, the failed one is absent."""


class Store:
    def __init__(self, path: str | Path, read_only: bool = False):
        import duckdb

        self.path = Path(path)
        self.saved = 0  # records committed by upsert() in this session
        if read_only and not self.path.exists():
            raise InputError(f"{path}: store not found; create it with `voc ingest INPUT --store {path}`")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
            if not read_only:
                self.con.execute(SCHEMA)
        except duckdb.Error as exc:
            how = "for reading" if read_only else "for writing"
            raise InputError(f"cannot open store {path} {how}: {_reason(exc, self.path)}") from None

    def close(self) -> None:
        import duckdb

        try:
            self.con.close()  # a checkpoint that cannot be written stays in the WAL for the next open
        except duckdb.Error as exc:
            raise StoreWriteError(f"cannot close store {self.path}: {_reason(exc, self.path)}") from None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
            return
        try:  # already failing: report that error, not a second one from closing
            self.close()
        except Exception:  # noqa: BLE001
            pass

    def _write_failed(self, exc, pending: int) -> StoreWriteError:
        return StoreWriteError(
            f"cannot write store {self.path}: {_reason(exc, self.path)}; {self.saved} records of this run are "
            f"stored, the failed batch of {pending} was rolled back (the store is consistent); once fixed, re-run "
            f"the same command: stored records are skipped, the rest are added")

    # ------------------------------------------------------------------ writing
    def upsert(self, records: Iterable[dict], batch_size: int = 5000) -> dict:
        import duckdb

        counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        batch: list[tuple] = []

        def flush():
            if not batch:
                return
            import pyarrow as pa

            last: dict[str, tuple] = {}
            for row in batch:  # within one batch the last version of an id wins
                last[row[0]] = row
            rows = list(last.values())
            table = pa.table({"id": [r[0] for r in rows], "content_hash": [r[1] for r in rows],
                              "ts": pa.array([r[2] for r in rows], type=pa.timestamp("us")),
                              "week": [r[3] for r in rows], "record": [r[4] for r in rows]})
            # One bulk statement per batch (row-by-row executemany was ~3 ms a row).
            try:
                self.con.register("incoming", table)
                try:
                    known = dict(self.con.execute(
                        "SELECT r.id, r.content_hash FROM records r JOIN incoming i ON r.id = i.id").fetchall())
                    fresh = [r for r in rows if known.get(r[0]) != r[1]]
                    if fresh:
                        self.con.execute("BEGIN TRANSACTION")
                        try:
                            self.con.execute(
                                "INSERT OR REPLACE INTO records SELECT i.id, i.content_hash, i.ts, i.week, i.record "
                                "FROM incoming i LEFT JOIN records r ON r.id = i.id "
                                "WHERE r.id IS NULL OR r.content_hash <> i.content_hash")
                            self.con.execute("COMMIT")
                        except duckdb.Error:
                            _rollback(self.con)
                            raise
                finally:
                    _unregister(self.con)
            except duckdb.Error as exc:
                raise self._write_failed(exc, len(batch)) from None
            counts["unchanged"] += len(batch) - len(fresh)
            counts["updated"] += sum(1 for r in fresh if r[0] in known)
            counts["inserted"] += sum(1 for r in fresh if r[0] not in known)
            self.saved += len(batch)
            batch.clear()

        from voc.stages.pii import mask_record

        for rec in records:
            rec = mask_record(rec)
            ts = parse_time(rec.get("ts"))
            batch.append((rec["id"], content_hash(rec), ts.to_pydatetime() if ts is not None else None,
                          week_of(ts) if ts is not None else None, json.dumps(rec, ensure_ascii=False, default=str)))
            if len(batch) >= batch_size:
                flush()
        flush()
        return counts

    def log_ingest(self, source: str, counts: dict, provenance: dict) -> None:
        import duckdb

        try:
            self.con.execute("INSERT INTO ingests (source, inserted, updated, unchanged, voc_version, lexicon_hash) "
                             "VALUES (?, ?, ?, ?, ?, ?)", [source, counts["inserted"], counts["updated"],
                                                           counts["unchanged"], provenance.get("voc_version"),
                                                           provenance.get("lexicon_hash")])
        except duckdb.Error as exc:
            raise self._write_failed(exc, 0) from None

    # ------------------------------------------------------------------ reading
    def count(self) -> int:
        return self.con.execute("SELECT count(*) FROM records").fetchone()[0]

    def weeks(self) -> list[str]:
        return [w for (w,) in self.con.execute("SELECT DISTINCT week FROM records WHERE week IS NOT NULL ORDER BY week").fetchall()]

    def records_for_weeks(self, weeks: list[str]) -> Iterator[dict]:
        cur = self.con.execute("SELECT record FROM records WHERE week IN (SELECT unnest(?)) ORDER BY ts, id", [weeks])
        while rows := cur.fetchmany(10_000):
            for (r,) in rows:
                yield json.loads(r)


    def records_by_week(self, weeks: list[str]) -> Iterator[tuple[str, dict]]:
        """(week, record) for the given ISO weeks, streamed in fixed-size chunks."""
        cur = self.con.execute("SELECT week, record FROM records WHERE week IN (SELECT unnest(?)) ORDER BY ts, id", [weeks])
        while rows := cur.fetchmany(10_000):
            for w, r in rows:
                yield w, json.loads(r)


def _rollback(con) -> None:
    """Roll back if a transaction is still open (a failed COMMIT has already ended it)."""
    import duckdb

    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _unregister(con) -> None:
    import duckdb

    try:
        con.unregister("incoming")
    except duckdb.Error:
        pass


def _reason(exc, path: Path | None = None) -> str:
    """What happened and what to do, from a DuckDB error, in one line."""
    msg = str(exc)
    low = msg.lower()
    folder = f" (or its folder {path.parent})" if path is not None else " (or its folder)"
    if "no space left" in low or "disk full" in low:
        return "no space left on the device (ENOSPC); free disk space or move the store to another disk"
    if "file too large" in low:
        return "the file grew past the file-size limit (EFBIG, see `ulimit -f`); raise the limit or move the store"
    if "read-only file system" in low:
        return "the file system is read-only (EROFS); use a store on a writable file system"
    if "permission denied" in low or "read-only" in low or "readonly" in low:
        return (f"permission denied: the store{folder} is read-only (EACCES); make both writable, "
                f"or pass --store with a writable path")
    if "disk quota" in low:
        return "the disk quota is exhausted (EDQUOT); free space or move the store"
    if "could not set lock" in low or "conflicting lock" in low:
        return "another process has the store open for writing; wait for it to finish"
    if "not a valid duckdb" in low or "corrupt" in low:
        return "it is not a voc store (not a valid DuckDB file); pass the right --store path"
    return msg.splitlines()[0][:200]
