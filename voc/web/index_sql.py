"""The SQL of the report index (see voc/web/index.py for what the tables are for)."""
from __future__ import annotations

from voc.reports.sections import QUOTE_CHARS

SCHEMA_VERSION = 2
QUOTE_LONG = 2 * QUOTE_CHARS  # the report ranks quotes longer than this last
SEP = "\x1f"  # between a segment key and its value: cannot appear in a CSV header typed by a person
TIMEY = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # a date-like value is not a segment
NOT_SEGMENTS = ("nps", "csat", "ces", "stars", "rating", "星级", "评分", "submitted_at", "created_at",
                "date", "time", "timestamp", "ts", "text")
INDEX_TABLES = ("web_rec", "web_cell", "web_profile", "web_cube", "web_cube_rec", "web_pcube", "web_pcube_rec",
                "web_cues")

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_index_meta (key VARCHAR PRIMARY KEY, value BIGINT);
CREATE TABLE IF NOT EXISTS web_rec (
    id VARCHAR NOT NULL, content_hash VARCHAR, ts TIMESTAMP, day DATE, week VARCHAR, lang VARCHAR,
    live BOOLEAN, template BOOLEAN, score DOUBLE, label VARCHAR, frustration DOUBLE, tlen INTEGER,
    nps DOUBLE, csat DOUBLE, ces DOUBLE, stars DOUBLE, segs VARCHAR[], signals VARCHAR[], profile INTEGER
);
CREATE TABLE IF NOT EXISTS web_cell (
    id VARCHAR NOT NULL, day DATE, week VARCHAR, lang VARCHAR, segs VARCHAR[], profile INTEGER,
    tp VARCHAR, pillar VARCHAR, score DOUBLE, frustration DOUBLE, qrank DOUBLE, costs VARCHAR[], cues VARCHAR[]
);
CREATE TABLE IF NOT EXISTS web_profile (profile INTEGER, pkey VARCHAR, segs VARCHAR[]);
"""

_SEGS = f"""
list_transform(
  list_filter(json_keys(meta), lambda k: json_type(meta, '$."' || replace(k, '"', '\\"') || '"') = 'VARCHAR'
              AND NOT starts_with(k, '_') AND lower(k) NOT IN {NOT_SEGMENTS!r}),
  lambda k: k || '{SEP}' || json_extract_string(meta, '$."' || replace(k, '"', '\\"') || '"'))
"""

# Rows of `todo` (id, content_hash, ts, week, record) -> new_rec (web_rec without the profile).
NEW_REC = f"""
CREATE OR REPLACE TEMP TABLE new_rec AS
SELECT id, content_hash, ts, CAST(ts AS DATE) AS day, week, lang,
       NOT (list_contains(flags, 'empty_text') OR list_contains(flags, 'template_review')
            OR len(list_filter(flags, lambda f: starts_with(f, 'error:'))) > 0) AS live,
       list_contains(flags, 'template_review') AS template,
       score, label, frustration, tlen, nps, csat, ces, stars,
       list_sort(list_filter({_SEGS}, lambda s: length(s) <= 80
                             AND NOT regexp_matches(split_part(s, '{SEP}', 2), '{TIMEY}'))) AS segs,
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

# A profile is one combination of segment values; filters on two or more segment keys select the
# (few) matching profiles and read the profile cubes.
NEW_PROFILES = """
INSERT INTO web_profile
SELECT (SELECT coalesce(max(profile), 0) FROM web_profile) + row_number() OVER (ORDER BY pkey), pkey, segs
FROM (SELECT DISTINCT ON (pkey) array_to_string(segs, chr(30)) AS pkey, segs FROM new_rec)
WHERE pkey NOT IN (SELECT pkey FROM web_profile)
"""
INSERT_REC = """
INSERT INTO web_rec
SELECT n.*, p.profile FROM new_rec n JOIN web_profile p ON p.pkey = array_to_string(n.segs, chr(30))
"""

# A live record joins (touchpoint, pillar) for each negative touchpoint and each violated pillar,
# or (touchpoint, 'none') when it violates no pillar: voc.reports.sections.pain_cells. `cues` are the
# evidence texts of that touchpoint and pillar (what the report's top_cues count).
_TP = '[{"id": "VARCHAR", "sentiment": "VARCHAR", "evidence": [{"text": "VARCHAR"}]}]'
_PL = '[{"id": "VARCHAR", "polarity": "VARCHAR", "evidence": [{"text": "VARCHAR"}]}]'
INSERT_CELL = f"""
INSERT INTO web_cell
SELECT r.id, r.day, r.week, r.lang, r.segs, r.profile, c.tp.id, c.pl.id, r.score, r.frustration,
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

# Pre-aggregated cubes. web_cube / web_cube_rec: one row per (segment value, day, language[, cell]);
# seg '' holds every record. web_pcube / web_pcube_rec: the same per profile.
_CELL_SUMS = "count(*) AS n, sum(least(greatest(-score, 0), 1)) AS neg, sum(frustration) AS frus"
_REC_SUMS = """count(*) AS n, count(*) FILTER (live) AS live, count(*) FILTER (template) AS template,
       count(*) FILTER (live AND label = 'negative') AS negative, coalesce(sum(frustration) FILTER (live), 0) AS frus,
       count(nps) FILTER (live) AS nps_n, count(*) FILTER (live AND nps >= 9) AS nps_p,
       count(*) FILTER (live AND nps <= 6) AS nps_d,
       count(csat) FILTER (live) AS csat_n, count(*) FILTER (live AND csat >= 4) AS csat_k,
       count(ces) FILTER (live) AS ces_n, sum(ces) FILTER (live) AS ces_s, sum(ces * ces) FILTER (live) AS ces_ss,
       count(stars) FILTER (live) AS stars_n, sum(stars) FILTER (live) AS stars_s,
       sum(stars * stars) FILTER (live) AS stars_ss"""
CUBES = [
    f"""CREATE OR REPLACE TABLE web_cube AS
        SELECT seg, day, week, lang, tp, pillar, {_CELL_SUMS}
        FROM (SELECT '' AS seg, day, week, lang, tp, pillar, score, frustration FROM web_cell
              UNION ALL SELECT unnest(segs) AS seg, day, week, lang, tp, pillar, score, frustration FROM web_cell)
        GROUP BY ALL ORDER BY seg, day""",
    f"""CREATE OR REPLACE TABLE web_cube_rec AS
        SELECT seg, day, week, lang, {_REC_SUMS}
        FROM (SELECT '' AS seg, * FROM web_rec UNION ALL SELECT unnest(segs) AS seg, * FROM web_rec)
        GROUP BY ALL ORDER BY seg, day""",
    f"""CREATE OR REPLACE TABLE web_pcube AS
        SELECT profile, day, week, lang, tp, pillar, {_CELL_SUMS} FROM web_cell GROUP BY ALL ORDER BY profile, day""",
    f"""CREATE OR REPLACE TABLE web_pcube_rec AS
        SELECT profile, day, week, lang, {_REC_SUMS} FROM web_rec GROUP BY ALL ORDER BY profile, day""",
    # the costs and evidence cues of each cell, for views without dates or languages
    """CREATE OR REPLACE TABLE web_cues AS
       SELECT seg, tp, pillar, kind, value, count(*) AS n FROM (
         SELECT seg, tp, pillar, 'cue' AS kind, unnest(cues) AS value FROM (
           SELECT '' AS seg, tp, pillar, cues FROM web_cell UNION ALL SELECT unnest(segs), tp, pillar, cues FROM web_cell)
         UNION ALL
         SELECT seg, tp, pillar, 'cost', unnest(costs) FROM (
           SELECT '' AS seg, tp, pillar, costs FROM web_cell UNION ALL SELECT unnest(segs), tp, pillar, costs FROM web_cell))
       GROUP BY ALL ORDER BY seg, tp, pillar""",
]
