"""Options and helpers shared by several commands."""
from __future__ import annotations

import sys

import click

pipeline_option = click.option("--pipeline", type=click.Path(dir_okay=False), default=None,
                               help="Pipeline settings TOML (default: pipelines/analyze.toml).")
lexicons_option = click.option("--lexicons", type=click.Path(file_okay=False), default=None,
                               help="Lexicon directory (default: from the pipeline, or $VOC_LEXICONS).")


def progress(total=None, enabled=None, desc="records"):
    """A progress bar on stderr (only when stderr is a terminal unless forced)."""
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, file=sys.stderr, unit=" rec", desc=desc,
                mininterval=0.5, dynamic_ncols=True)
