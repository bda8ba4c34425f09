"""Every pluggable name in one place: kind -> name -> "module:attr", imported lazily.

A new backend is a new module plus one line here; unknown names fail with the available ones."""
from __future__ import annotations

import importlib

from voc.errors import ConfigError

REGISTRY: dict[str, dict[str, str]] = {
    "sentiment": {
        "rules": "voc.models.base:RulesOnly",
        "linear": "voc.models.linear:LinearSentiment",
        "transformers": "voc.models.hf:TransformersSentiment",
    },
}


def resolve(kind: str, name: str):
    try:
        target = REGISTRY[kind][name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY.get(kind, {}))) or "(none)"
        raise ConfigError(f"unknown {kind} backend {name!r}; available: {known}") from None
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)
