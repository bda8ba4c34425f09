"""Pipeline settings (`pipelines/*.toml`): read, check, and locate the repository's files."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent  # the repository (editable install)


def default_pipeline(name: str = "analyze") -> Path:
    return ROOT / "pipelines" / f"{name}.toml"


def read_settings_toml(path: str | Path | None, name: str, missing: str) -> tuple[Path, dict]:
    """Read a settings file (default `pipelines/<name>.toml`); a missing or broken file is a
    ConfigError whose message starts with `missing` ("report settings not found: ...")."""
    path = Path(path) if path else default_pipeline(name)
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{missing}: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


LABEL_GROUPS = ("touchpoints", "pillars", "costs", "signals")


@dataclass
class AnalyzerSettings:
    lexicons: Path
    max_chars: int = 20000
    batch_size: int = 256
    mask_pii: bool = True
    sentiment_backend: str = "rules"
    sentiment_blend: float = 0.6
    sentiment_threshold: float = 0.15
    sentiment_options: dict = field(default_factory=dict)
    # What each record gets. `voc watch` narrows both (pipelines/watch.toml [analysis]): alerts read
    # only signals, and agent turns only for their agent-behaviour cues.
    labels: tuple[str, ...] = LABEL_GROUPS
    model_for_agent_turns: bool = True
    # Semantic second pass for touchpoints (voc/stages/semantic_embed.py): a record the lexicon
    # left without a touchpoint may get one from a classifier over the shipped embedder.
    semantic_touchpoints: bool = True
    # The same for pillars (opt-in: +0.00 to +0.02 pillar macro-F1 on the outside tune halves and
    # -0.01 on the own set when measured): a record with a polar sentiment and no lexicon pillar may
    # get one pillar of that polarity (a negative record: violated only).
    semantic_pillars: bool = False

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides) -> "AnalyzerSettings":
        path, data = read_settings_toml(path, "analyze", "pipeline file not found")
        a, s = data.get("analyzer", {}), dict(data.get("sentiment", {}))
        unknown = set(a) - {"lexicons", "max_chars", "batch_size", "mask_pii", "semantic_touchpoints",
                            "semantic_pillars"}
        if unknown:
            raise ConfigError(f"{path}: unknown [analyzer] settings {sorted(unknown)}")
        lex = overrides.pop("lexicons", None) or os.environ.get("VOC_LEXICONS") or a.get("lexicons", "lexicons")
        lex_path = Path(lex)
        if not lex_path.is_absolute() and not lex_path.exists():
            lex_path = ROOT / lex_path
        out = cls(
            lexicons=lex_path,
            max_chars=int(a.get("max_chars", 20000)),
            batch_size=int(a.get("batch_size", 256)),
            mask_pii=bool(a.get("mask_pii", True)),
            semantic_touchpoints=bool(a.get("semantic_touchpoints", True)),
            semantic_pillars=bool(a.get("semantic_pillars", False)),
            sentiment_backend=str(s.pop("backend", "rules")),
            sentiment_blend=float(s.pop("blend", 0.6)),
            sentiment_threshold=float(s.pop("threshold", 0.15)),
            sentiment_options=s,
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(out, key, value)
        if out.max_chars < 1 or out.batch_size < 1 or not 0 <= out.sentiment_blend <= 1:
            raise ConfigError(f"{path}: max_chars and batch_size must be >= 1, blend in [0, 1]")
        out.labels = check_labels(out.labels, path)
        return out


def check_labels(labels, where) -> tuple[str, ...]:
    """The taxonomy groups a record is labelled with, in canonical order; unknown names are an error."""
    labels = tuple(labels)
    unknown = sorted(set(labels) - set(LABEL_GROUPS))
    if unknown:
        raise ConfigError(f"{where}: unknown label groups {unknown} (known: {list(LABEL_GROUPS)})")
    return tuple(g for g in LABEL_GROUPS if g in labels)
