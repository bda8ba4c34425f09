"""A report view's filters, and where each kind of view reads from.

- no segment filter, or values of one segment key: the per-segment cubes (web_cube, web_cube_rec),
  `seg IN (...)` (a record has one value per key, so the values of one key never double count);
- two or more segment keys: the profiles (combinations of segment values) that match are looked
  up first, then the per-profile cubes are read with `profile IN (...)`;
- per-record tables (web_rec, web_cell, for drill-downs and full reports): dates, languages and
  `profile IN (...)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from voc.web.index_sql import SEP


@dataclass(frozen=True)
class Filters:
    """What a report view is restricted to. Dates are inclusive UTC days; no filter = everything."""

    date_from: date | None = None
    date_to: date | None = None
    langs: tuple[str, ...] = ()
    segments: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, date_from: str | None = None, date_to: str | None = None, lang: list[str] | None = None,
              seg: list[str] | None = None) -> "Filters":
        """From query parameters: from=2026-10-01, to=2026-10-31, lang=zh (repeatable), seg=channel:app
        (repeatable; values of one key are OR-ed, keys are AND-ed). Raises ValueError."""
        by_key: dict[str, set[str]] = {}
        for s in seg or []:
            if ":" not in s:
                raise ValueError(f"seg {s!r}: use KEY:VALUE, e.g. channel:app")
            k, v = s.split(":", 1)
            by_key.setdefault(k, set()).add(v)
        return cls(_day(date_from, "from"), _day(date_to, "to"), tuple(sorted({x for x in lang or [] if x})),
                   tuple((k, tuple(sorted(v))) for k, v in sorted(by_key.items())))

    @property
    def only_segments(self) -> bool:
        """No dates and no languages: the per-cell cue table can answer."""
        return not (self.date_from or self.date_to or self.langs)

    def date_lang_sql(self) -> tuple[str, list]:
        parts, params = ["TRUE"], []
        if self.date_from:
            parts.append("day >= ?")
            params.append(self.date_from)
        if self.date_to:
            parts.append("day <= ?")
            params.append(self.date_to)
        if self.langs:
            parts.append("lang IN (SELECT unnest(?))")
            params.append(list(self.langs))
        return " AND ".join(parts), params

    def segs_sql(self) -> tuple[str, list]:
        """Over a `segs` list column (web_profile): each key one OR-group of list_contains."""
        parts, params = ["TRUE"], []
        for key, values in self.segments:
            parts.append("(" + " OR ".join(["list_contains(segs, ?)"] * len(values)) + ")")
            params.extend(f"{key}{SEP}{v}" for v in values)
        return " AND ".join(parts), params

    def key(self) -> str:
        return repr((self.date_from, self.date_to, self.langs, self.segments))

    def to_dict(self) -> dict:
        return {"from": self.date_from and self.date_from.isoformat(), "to": self.date_to and self.date_to.isoformat(),
                "lang": list(self.langs), "seg": [f"{k}:{v}" for k, vs in self.segments for v in vs]}


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r}: use a date like 2026-10-01") from None


def profiles(cur, f: Filters) -> list[int]:
    where, params = f.segs_sql()
    return [p for (p,) in cur.execute(f"SELECT profile FROM web_profile WHERE {where}", params).fetchall()]


def cube_source(cur, f: Filters) -> tuple[str, str, str, list]:
    """(cell cube, record cube, WHERE, params) for a view."""
    where, params = f.date_lang_sql()
    if len(f.segments) <= 1:
        if f.segments:
            key, values = f.segments[0]
            return "web_cube", "web_cube_rec", f"seg IN (SELECT unnest(?)) AND {where}", \
                [[f"{key}{SEP}{v}" for v in values]] + params
        return "web_cube", "web_cube_rec", f"seg = '' AND {where}", params
    return "web_pcube", "web_pcube_rec", f"profile IN (SELECT unnest(?)) AND {where}", [profiles(cur, f)] + params


def record_where(cur, f: Filters) -> tuple[str, list]:
    """WHERE over web_rec / web_cell."""
    where, params = f.date_lang_sql()
    if f.segments:
        return f"profile IN (SELECT unnest(?)) AND {where}", [profiles(cur, f)] + params
    return where, params
