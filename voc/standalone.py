"""Run one file of an installed package without importing the package.

`import bertopic` or `import spacy` costs seconds (torch, transformers, thinc) when all voc needs is a
self-contained file inside them (BERTopic's c-TF-IDF class, spaCy's stop-word lists).
`importlib.util.find_spec(package)` locates a top-level package without executing its __init__."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from voc.errors import BackendError


def module_file(package: str, relative: str, alias: str, missing: str) -> ModuleType | None:
    """The module made by executing `<package dir>/<relative>` alone, under the name `alias`; None if
    that file is absent or no longer loads on its own (the caller then imports the usual way).
    A package that is not installed at all is a BackendError with the message `missing`."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(missing)
    for base in spec.submodule_search_locations:
        path = Path(base) / relative
        if path.is_file():
            file_spec = importlib.util.spec_from_file_location(alias, path)
            module = importlib.util.module_from_spec(file_spec)
            try:
                file_spec.loader.exec_module(module)
                return module
            except Exception:  # noqa: BLE001 - not standalone in this version
                return None
    return None
