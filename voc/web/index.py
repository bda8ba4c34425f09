"""A query index beside the store's `records` table, so report queries stay fast on millions of records.

The Store keeps one JSON document per record, which is right for ingest and for rebuilding reports,
but slow to aggregate interactively. This module keeps derived tables in the same DuckDB file,
built from `records` with DuckDB's JSON functions (no Python per record); the SQL is in index_sql.py.

- `web_rec`:  one row per record: typed filter columns (day, week, lang, segments, profile), scores,
  and what the ranking needs (sentiment score, frustration, `live` = not empty, not an error, not a
  template review).
- `web_cell`: one row per (live record, pain cell): the record's negative touchpoints x its violated
  pillars (or `none`), exactly the cells of `voc.reports.sections.pain_cells`, with the filter
  columns repeated, the quote rank, costs and evidence cues. Kept sorted by (tp, pillar, day), so a
  drill-down into one cell reads only the row groups that hold it.
- `web_profile`: each distinct combination of segment values ("channel=app, region=华东, ...").
- cubes, rebuilt on every sync: `web_cube` / `web_cube_rec` (per segment value, day, language
  [, cell]: views with at most one segment key), `web_pcube` / `web_pcube_rec` (per profile: views
  with several segment keys select the few matching profiles), `web_cues` (costs and cues per cell).

All of it is a cache: `sync()` brings it up to date with `records` (new ids, changed content hashes,
deleted ids; so records added by `voc ingest` appear too), and a schema change rebuilds it.
Segments are a record's short string meta values, stored as `key\\x1fvalue` strings.
"""
from __future__ import annotations

from voc.web.index_sql import (CUBES, INDEX_TABLES, INSERT_CELL, INSERT_REC, NEW_PROFILES, NEW_REC, SCHEMA,
                               SCHEMA_VERSION, SEP)

__all__ = ["SEP", "ensure", "pending", "sync"]
RECLUSTER_SHARE = 0.25  # re-sort web_cell by cell once this share of its rows was appended unsorted


def ensure(con) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS web_index_meta (key VARCHAR PRIMARY KEY, value BIGINT)")
    row = con.execute("SELECT value FROM web_index_meta WHERE key = 'schema'").fetchone()
    if row is None or row[0] != SCHEMA_VERSION:  # an older layout: drop it, the next sync rebuilds it
        for t in INDEX_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {t}")
        con.execute("DELETE FROM web_index_meta")
        con.execute(SCHEMA)
        con.execute("INSERT INTO web_index_meta VALUES ('schema', ?)", [SCHEMA_VERSION])
    else:
        con.execute(SCHEMA)


def pending(con) -> int:
    """How many records the index lacks or has stale (new or changed since the last sync)."""
    return con.execute("""
        SELECT count(*) FROM records r ANTI JOIN web_rec w ON w.id = r.id AND w.content_hash = r.content_hash
    """).fetchone()[0]


def sync(con, force_cubes: bool = False) -> dict:
    """Bring the index up to date with `records`, in one transaction."""
    ensure(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE todo AS
            SELECT r.id, r.content_hash, r.ts, r.week, r.record FROM records r
            ANTI JOIN web_rec w ON w.id = r.id AND w.content_hash = r.content_hash
        """)
        n_todo = con.execute("SELECT count(*) FROM todo").fetchone()[0]
        n_gone = con.execute("SELECT count(*) FROM web_rec w ANTI JOIN records r ON r.id = w.id").fetchone()[0]
        if n_gone:
            con.execute("DELETE FROM web_cell WHERE id IN (SELECT w.id FROM web_rec w ANTI JOIN records r ON r.id = w.id)")
            con.execute("DELETE FROM web_rec WHERE id IN (SELECT w.id FROM web_rec w ANTI JOIN records r ON r.id = w.id)")
        appended = 0
        if n_todo:
            con.execute("DELETE FROM web_cell WHERE id IN (SELECT id FROM todo)")
            con.execute("DELETE FROM web_rec WHERE id IN (SELECT id FROM todo)")
            con.execute(NEW_REC)
            con.execute(NEW_PROFILES)
            con.execute(INSERT_REC)
            con.execute("DROP TABLE new_rec")
            con.execute(INSERT_CELL)
            appended = con.execute("SELECT count(*) FROM web_cell WHERE id IN (SELECT id FROM todo)").fetchone()[0]
        con.execute("DROP TABLE todo")
        reclustered = False
        if n_todo or n_gone or force_cubes or not _has_cubes(con):
            reclustered = _maybe_recluster(con, appended)
            for sql in CUBES:
                con.execute(sql)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"indexed": n_todo, "removed": n_gone, "reclustered": reclustered}


def _has_cubes(con) -> bool:
    names = {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    return set(INDEX_TABLES) <= names


def _maybe_recluster(con, appended: int) -> bool:
    """Appended cell rows are sorted only among themselves; once they are more than RECLUSTER_SHARE
    of the table, the whole table is rewritten sorted by (tp, pillar, day)."""
    row = con.execute("SELECT value FROM web_index_meta WHERE key = 'unsorted_rows'").fetchone()
    unsorted = (row[0] if row else 0) + appended
    total = con.execute("SELECT count(*) FROM web_cell").fetchone()[0]
    done = total > 0 and unsorted > RECLUSTER_SHARE * total
    if done:
        con.execute("CREATE OR REPLACE TABLE web_cell AS SELECT * FROM web_cell ORDER BY tp, pillar, day")
        unsorted = 0
    con.execute("INSERT OR REPLACE INTO web_index_meta VALUES ('unsorted_rows', ?)", [unsorted])
    return done
