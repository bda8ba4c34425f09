"""3-5 recommendations per owner (touchpoint), built from the evidence, never generic advice:
what to fix (playbook sentence per pillar), how big (volume, share, negativity), in whose words
(quotes and top cues), and the expected effect on the score with its uncertainty (LOO impact)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from voc.reports import stats
from voc.reports.sections import PILLAR_NONE, pain_cells


def recommendations(live: pd.DataFrame, pains: list[dict], playbook: dict, names: dict, lang: str,
                    cfg: dict, per_owner: int = 5) -> dict:
    kind = next((k for k in ("nps", "csat", "stars") if k in live and live[k].notna().any()), None)
    cells = pain_cells(live)
    rng = np.random.default_rng(cfg["seed"])
    out: dict[str, list[dict]] = {}
    for p in pains:
        items = out.setdefault(p["touchpoint"], [])
        if len(items) >= per_owner:
            continue
        tp_name = names.get(p["touchpoint"], p["touchpoint"])
        template = playbook.get(p["pillar"], playbook.get(PILLAR_NONE, {})).get(lang) or "{touchpoint}"
        effect = {"score": kind, "verdict": "no score in the export"}
        if kind:
            has = np.zeros(len(live), dtype=bool)
            has[cells[(p["touchpoint"], p["pillar"])]] = True
            scored = live[kind].notna().to_numpy()
            s = live.loc[scored, kind].to_numpy(dtype=float)
            values = stats.nps_values(s) if kind == "nps" else 100.0 * (s >= 4)
            loo = stats.loo_impact(values, has[scored], rng, cfg["n_boot"], cfg["min_n"])
            effect = {"score": kind, **loo}
            if loo["impact"] is not None:
                # Fixing the cause removes its drag: the expected gain is minus the LOO impact.
                effect["expected_gain"] = round(-loo["impact"], 2)
                effect["gain_interval"] = [round(-loo["high"], 2), round(-loo["low"], 2)]
        items.append({
            "touchpoint": p["touchpoint"], "pillar": p["pillar"], "rank": p["rank"],
            "action": template.format(touchpoint=tp_name),
            "size": {"records": p["volume"], "share": p["share"], "negativity": p["negativity"],
                     "frustration": p["frustration"], "trend": p["trend"]},
            "customers_say": p["top_cues"][:5],
            "quotes": [{"id": q["id"], "text": q["text"][:160]} for q in p["quotes"][:2]],
            "costs": p["costs"], "expected_effect": effect,
        })
    return {k: v[:per_owner] for k, v in out.items()}
