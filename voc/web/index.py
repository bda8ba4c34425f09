"""A query index beside the store's `records` table, so report queries stay fast on millions of records.

The Store keeps one JSON document per record, which is right for ingest and for rebuilding reports,
but slow to aggregate interactively. This module keeps two derived tables in the same DuckDB file,
built from `records` with DuckDB's JSON functions (no Python per record):

- `web_rec`:  one row per record: typed filter columns (day, week, lang, segments), scores, and the
  numbers the pain-point ranking needs (sentiment score, frustration, `live` = not empty, not an
  error, not a template review).
- `web_cell`: one row per (live record, pain cell): the record's negative touchpoints x its violated
  pillars (or `none`), exactly the cells of `voc.reports.sections.pain_cells`, with the filter
  columns repeated so that the ranking is one scan and one GROUP BY, with no join.

Both are caches: `sync()` brings them up to date with `records` (new ids, changed content hashes,
deleted ids) and can rebuild them from nothing, so records added by `voc ingest` appear too.
Segments are a record's short string meta values, stored as `key\\x1fvalue` strings.
"""
from __future__ import annotations

from voc.reports.sections import QUOTE_CHARS

QUOTE_LONG = 2 * QUOTE_CHARS  # the report ranks quotes longer than this last
SEP = "\x1f"  # between a segment key and its value: cannot appear in a CSV header typed by a person
TIMEY = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # a date-like value is not a segment
NOT_SEGMENTS = ("nps", "csat", "ces", "stars", "rating", "星级", "评分", "submitted_at", "created_at",
                "date", "time", "timestamp", "ts", "text")

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_rec (
    id VARCHAR NOT NULL, content_hash VARCHAR, ts TIMESTAMP, day DATE, week VARCHAR, lang VARCHAR,
    live BOOLEAN, template BOOLEAN, score DOUBLE, label VARCHAR, frustration DOUBLE, tlen INTEGER,
    nps DOUBLE, csat DOUBLE, ces DOUBLE, stars DOUBLE, segs VARCHAR[], signals VARCHAR[]
);
CREATE TABLE IF NOT EXISTS web_cell (
    id VARCHAR NOT NULL, day DATE, week VARCHAR, lang VARCHAR, segs VARCHAR[],
    tp VARCHAR, pillar VARCHAR, score DOUBLE, frustration DOUBLE, qrank DOUBLE, costs VARCHAR[], cues VARCHAR[]
);
CREATE TABLE IF NOT EXISTS web_index_meta (key VARCHAR PRIMARY KEY, value BIGINT);
"""

_TP = '[{"id": "VARCHAR", "sentiment": "VARCHAR"}]'
_PL = '[{"id": "VARCHAR", "polarity": "VARCHAR"}]'
_SEGS = f"""
list_transform(
  list_filter(json_keys(meta), lambda k: json_type(meta, '$."' || replace(k, '"', '\\"') || '"') = 'VARCHAR'
              AND NOT starts_with(k, '_') AND lower(k) NOT IN {NOT_SEGMENTS!r}),
  lambda k: k || '{SEP}' || json_extract_string(meta, '$."' || replace(k, '"', '\\"') || '"'))
"""

# Rows of `todo` (id, content_hash, ts, week, record) -> web_rec rows.
_INSERT_REC = f"""
INSERT INTO web_rec
SELECT id, content_hash, ts, CAST(ts AS DATE), week, lang,
       NOT (list_contains(flags, 'empty_text') OR list_contains(flags, 'template_review')
            OR len(list_filter(flags, lambda f: starts_with(f, 'error:'))) > 0),
       list_contains(flags, 'template_review'),
       score, label, frustration, tlen, nps, csat, ces, stars,
       list_filter({_SEGS}, lambda s: length(s) <= 80 AND NOT regexp_matches(split_part(s, '{SEP}', 2), '{TIMEY}')),
       signals
FROM (
  SELECT id, content_hash, ts, week,
         record->>'lang' AS lang,
         CAST(record->'sentiment'->>'score' AS DOUBLE) AS score,
         record->'sentiment'->>'label' AS label,
         CAST(record->>'frustration' AS DOUBLE) AS frustration,
         length(record->>'text') AS tlen,
         TRY_CAST(record->'scores'->>'nps' AS DOUBLE) AS nps,
         TRY_CAST(record->'scores'->>'csat' AS DOUBLE) AS csat,
         TRY_CAST(record->'scores'->>'ces' AS DOUBLE) AS ces,
         TRY_CAST(record->'scores'->>'stars' AS DOUBLE) AS stars,
         coalesce(from_json(record->'flags', '["VARCHAR"]'), []) AS flags,
         list_transform(coalesce(from_json(record->'signals', '[{{"id": "VARCHAR"}}]'), []), lambda s: s.id) AS signals,
         coalesce(record->'meta', '{{}}'::JSON) AS meta
  FROM todo)
"""

# A live record joins (touchpoint, pillar) for each negative touchpoint and each violated pillar,
# or (touchpoint, 'none') when it violates no pillar: voc.reports.sections.pain_cells. `cues` are the
# evidence texts of that touchpoint and pillar (what the report's top_cues count).
_TP = '[{"id": "VARCHAR", "sentiment": "VARCHAR", "evidence": [{"text": "VARCHAR"}]}]'
_PL = '[{"id": "VARCHAR", "polarity": "VARCHAR", "evidence": [{"text": "VARCHAR"}]}]'
_INSERT_CELL = f"""
INSERT INTO web_cell
SELECT r.id, r.day, r.week, r.lang, r.segs, c.tp.id, c.pl.id, r.score, r.frustration,
       r.frustration - 0.5 * r.score - CASE WHEN r.tlen > {QUOTE_LONG} THEN 0.5 ELSE 0 END, c.costs,
       list_transform(c.tp.evidence, lambda e: e.text) || list_transform(c.pl.evidence, lambda e: e.text)
FROM (
  SELECT id, costs, tp,
         unnest(CASE WHEN len(violated) = 0 THEN [{{'id': 'none', 'evidence': []::STRUCT(text VARCHAR)[]}}]
                     ELSE violated END) AS pl
  FROM (
    SELECT id, costs, unnest(list_filter(tps, lambda t: t.sentiment = 'negative')) AS tp,
           list_transform(list_filter(pls, lambda p: p.polarity = 'violated'),
                          lambda p: {{'id': p.id, 'evidence': p.evidence}}) AS violated
    FROM (
      SELECT id, coalesce(from_json(record->'touchpoints', '{_TP}'), []) AS tps,
             coalesce(from_json(record->'pillars', '{_PL}'), []) AS pls,
             list_transform(coalesce(from_json(record->'costs', '[{{"id": "VARCHAR"}}]'), []), lambda x: x.id) AS costs
      FROM todo))
) c JOIN web_rec r ON r.id = c.id
WHERE r.live
ORDER BY c.tp.id, c.pl.id, r.day
"""


# Pre-aggregated cubes: one row per (segment value, day, language[, cell]); seg '' holds every record.
# A view filtered by dates, languages and the values of at most one segment key reads only these.
_CUBE = """
CREATE OR REPLACE TABLE web_cube AS
SELECT seg, day, week, lang, tp, pillar, count(*) AS n, sum(least(greatest(-score, 0), 1)) AS neg,
       sum(frustration) AS frus
FROM (SELECT '' AS seg, day, week, lang, tp, pillar, score, frustration FROM web_cell
      UNION ALL SELECT unnest(segs) AS seg, day, week, lang, tp, pillar, score, frustration FROM web_cell)
GROUP BY ALL ORDER BY seg, day
"""
_CUBE_REC = """
CREATE OR REPLACE TABLE web_cube_rec AS
SELECT seg, day, week, lang, count(*) AS n, count(*) FILTER (live) AS live, count(*) FILTER (template) AS template,
       count(*) FILTER (live AND label = 'negative') AS negative, coalesce(sum(frustration) FILTER (live), 0) AS frus,
       count(nps) FILTER (live) AS nps_n, count(*) FILTER (live AND nps >= 9) AS nps_p,
       count(*) FILTER (live AND nps <= 6) AS nps_d,
       count(csat) FILTER (live) AS csat_n, count(*) FILTER (live AND csat >= 4) AS csat_k,
       count(ces) FILTER (live) AS ces_n, sum(ces) FILTER (live) AS ces_s, sum(ces * ces) FILTER (live) AS ces_ss,
       count(stars) FILTER (live) AS stars_n, sum(stars) FILTER (live) AS stars_s,
       sum(stars * stars) FILTER (live) AS stars_ss
FROM (SELECT '' AS seg, * FROM web_rec UNION ALL SELECT unnest(segs) AS seg, * FROM web_rec)
GROUP BY ALL ORDER BY seg, day
"""
RECLUSTER_SHARE = 0.25  # re-sort web_cell by cell once this share of its rows was appended unsorted


def ensure(con) -> None:
    con.execute(SCHEMA)


def pending(con) -> int:
    """How many records the index lacks or has stale (new or changed since the last sync)."""
    return con.execute("""
        SELECT count(*) FROM records r ANTI JOIN web_rec w ON w.id = r.id AND w.content_hash = r.content_hash
    """).fetchone()[0]


def sync(con, force_cubes: bool = False) -> dict:
    """Bring web_rec / web_cell and the cubes up to date with `records`, in one transaction."""
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
            con.execute(_INSERT_REC)
            con.execute(_INSERT_CELL)
            appended = con.execute("SELECT count(*) FROM web_cell WHERE id IN (SELECT id FROM todo)").fetchone()[0]
        con.execute("DROP TABLE todo")
        reclustered = False
        if n_todo or n_gone or force_cubes or not _has_cubes(con):
            reclustered = _maybe_recluster(con, appended)
            con.execute(_CUBE)
            con.execute(_CUBE_REC)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"indexed": n_todo, "removed": n_gone, "reclustered": reclustered}


def _has_cubes(con) -> bool:
    names = {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    return {"web_cube", "web_cube_rec"} <= names


def _maybe_recluster(con, appended: int) -> bool:
    """Keep web_cell sorted by (tp, pillar, day) so that a drill-down into one cell reads only the row
    groups that hold it (DuckDB's min/max zone maps). Appended rows are sorted only among themselves;
    once they are more than RECLUSTER_SHARE of the table, the whole table is rewritten sorted."""
    row = con.execute("SELECT value FROM web_index_meta WHERE key = 'unsorted_rows'").fetchone()
    unsorted = (row[0] if row else 0) + appended
    total = con.execute("SELECT count(*) FROM web_cell").fetchone()[0]
    done = total > 0 and unsorted > RECLUSTER_SHARE * total
    if done:
        con.execute("CREATE OR REPLACE TABLE web_cell AS SELECT * FROM web_cell ORDER BY tp, pillar, day")
        unsorted = 0
    con.execute("INSERT OR REPLACE INTO web_index_meta VALUES ('unsorted_rows', ?)", [unsorted])
    return done
