"""3-5 recommendations per owner (touchpoint), built from the evidence, never generic advice:
what to fix (playbook sentence per pillar), how big (volume, share, negativity), in whose words
(quotes and top cues), and the expected effect on the score with its uncertainty (LOO impact)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from voc.reports import stats
from voc.reports.sections import PILLAR_NONE, pain_cells


def recommendations(live: pd.DataFrame, pains: list[dict], playbook: dict, names: dict, lang: str,
                    cfg: dict, per_owner: int = 5, cells: dict | None = None) -> dict:
    kind = next((k for k in ("nps", "csat", "stars") if k in live and live[k].notna().any()), None)
    out: dict[str, list[dict]] = {}
    for p in pains:
        items = out.setdefault(p["touchpoint"], [])
        if len(items) >= per_owner:
            continue
        tp_name = names.get(p["touchpoint"], p["touchpoint"])
        template = playbook.get(p["pillar"], playbook.get(PILLAR_NONE, {})).get(lang) or "{touchpoint}"
        items.append({
            "touchpoint": p["touchpoint"], "pillar": p["pillar"], "rank": p["rank"],
            "action": template.format(touchpoint=tp_name),
            "size": {"records": p["volume"], "share": p["share"], "negativity": p["negativity"],
                     "frustration": p["frustration"], "trend": p["trend"]},
            "customers_say": p["top_cues"][:5],
            "quotes": [{"id": q["id"], "text": q["text"][:160]} for q in p["quotes"][:2]],
            "costs": p["costs"], "expected_effect": {"score": kind, "verdict": "no score in the export"},
        })
    chosen = [it for items in out.values() for it in items]
    if kind and chosen:
        # the expected effect of every recommendation, over the same bootstrap resamples
        cells = cells if cells is not None else pain_cells(live)
        scored = live[kind].notna().to_numpy()
        s = live.loc[scored, kind].to_numpy(dtype=float)
        values = stats.nps_values(s) if kind == "nps" else 100.0 * (s >= 4)
        masks = []
        for it in chosen:
            has = np.zeros(len(live), dtype=bool)
            has[cells[(it["touchpoint"], it["pillar"])]] = True
            masks.append(has[scored])
        effects = stats.loo_impacts(values, masks, np.random.default_rng(cfg["seed"]), cfg["n_boot"], cfg["min_n"])
        for it, loo in zip(chosen, effects):
            effect = {"score": kind, **loo}
            if loo["impact"] is not None:
                # Fixing the cause removes its drag: the expected gain is minus the LOO impact.
                effect["expected_gain"] = round(-loo["impact"], 2)
                effect["gain_interval"] = [round(-loo["high"], 2), round(-loo["low"], 2)]
            it["expected_effect"] = effect
    return {k: v[:per_owner] for k, v in out.items()}
