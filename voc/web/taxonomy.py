"""The active taxonomy for the Taxonomy page: groups, labels, cue counts and sample cues.

Read from the validated LexiconSet (names, descriptions, kinds) and, for the cues themselves, from
the same TOML files it was loaded from (the analyst-facing source of truth), so the page shows
what an analyst would edit."""
from __future__ import annotations

import tomllib

_SETS = ("cues", "violated", "honoured", "aspect")
_LISTS = ("zh", "en", "emoji", "patterns")
SAMPLES = 6


def describe(lexicons) -> dict:
    groups = []
    for name, g in sorted(lexicons.groups.items()):
        try:
            data = tomllib.loads((lexicons.root / g.path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = {}
        bodies = data.get("labels", {})
        labels = []
        for lid, info in g.labels.items():
            body = bodies.get(lid, {})
            sets = {"cues": body}
            sets.update({k: v for k, v in body.items() if k in _SETS[1:] and isinstance(v, dict)})
            counts: dict[str, int] = {}
            samples: dict[str, list[str]] = {}
            for variant, cset in sets.items():
                for kind in _LISTS:
                    terms = [str(t) for t in cset.get(kind, []) if isinstance(t, str)]
                    if terms:
                        key = kind if variant == "cues" else f"{variant}.{kind}"
                        counts[key] = len(terms)
                        samples[key] = terms[:SAMPLES]
            labels.append({"id": lid, "name": info.name, "description": info.description, "weight": info.weight,
                           "cue_count": sum(counts.values()), "counts": counts, "samples": samples})
        groups.append({"name": name, "kind": g.kind, "description": g.description, "file": g.path,
                       "cue_count": sum(lab["cue_count"] for lab in labels), "labels": labels})
    return {"root": str(lexicons.root), "hash": lexicons.hash, "groups": groups}
