"""`voc ingest` (append analysed records to the store) and `voc weekly` (the weekly insight report)."""
from __future__ import annotations

import click

from voc.cli.common import lexicons_option, pipeline_option, progress


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--store", "store_path", required=True, type=click.Path(dir_okay=False), help="DuckDB store file.")
@click.option("--text-col", default=None)
@click.option("--id-col", default=None)
@click.option("--sheet", default=None)
@click.option("--progress/--no-progress", "show_progress", default=None)
@click.option("--batch-size", type=click.IntRange(1), default=5000, show_default=True,
              help="Records per store transaction: a failure (full disk, kill) loses at most the open batch.")
@pipeline_option
@lexicons_option
def ingest(inputs, store_path, text_col, id_col, sheet, show_progress, batch_size, pipeline, lexicons):
    """Analyse exports and append them to the store (idempotent: re-ingesting changes nothing)."""
    from voc.analyzer import Analyzer
    from voc.io.readers import ReadStats, read_inputs
    from voc.io.store import Store

    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)  # masking on: raw personal data is never stored
    stats = ReadStats()
    with Store(store_path) as store, progress(enabled=show_progress, desc="ingesting") as bar:
        def stream():
            for fb in analyzer.pipe(read_inputs(list(inputs), text_col, id_col, sheet, stats)):
                bar.update(1)
                yield fb.to_contract()

        counts = store.upsert(stream(), batch_size=batch_size)
        store.log_ingest(",".join(inputs), counts, analyzer.provenance)
        total = store.count()
    click.echo(f"voc: {stats.rows} records read; inserted {counts['inserted']}, updated {counts['updated']}, "
               f"unchanged {counts['unchanged']}; store {store_path} holds {total}", err=True)


@click.command()
@click.option("--store", "store_path", required=True, type=click.Path(dir_okay=False), help="DuckDB store file.")
@click.option("--week", default=None, help="ISO week like 2026-W47 (default: the latest week in the store).")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--settings", default=None, type=click.Path(dir_okay=False))
@lexicons_option
@pipeline_option
def weekly(store_path, week, out_dir, lang, settings, lexicons, pipeline):
    """This week vs the previous week and the trailing 8-week baseline (weekly.html/.md/.xlsx/.json)."""
    import re
    from pathlib import Path

    from voc.errors import InputError
    from voc.io.store import Store
    from voc.lexicon import LexiconSet
    from voc.reports.build import load_report_settings
    from voc.reports.render_weekly import write_weekly
    from voc.reports.weekly import BASELINE_WEEKS, build_weekly, split_weeks, week_range
    from voc.settings import AnalyzerSettings
    from voc.text import Segmenter

    if week and not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise InputError(f"--week {week!r}: use the ISO form 2026-W47")
    with Store(store_path, read_only=True) as store:
        weeks = store.weeks()
        if not weeks:
            raise InputError(f"{store_path}: no dated records; the exports need a time column for weekly reports")
        week = week or weeks[-1]
        # Only the reported week is held in memory; the comparison weeks are tallied as they stream.
        this_records, prev, base = split_weeks(
            store.records_by_week([week] + week_range(week, BASELINE_WEEKS)), week)
    settings_ = AnalyzerSettings.load(pipeline, lexicons=lexicons)
    lex = LexiconSet.load(settings_.lexicons)
    cfg, _ = load_report_settings(settings)
    provenance = {"lexicon_hash": lex.hash, "store": str(store_path)}
    rep = build_weekly(this_records, prev, base, week, lex, provenance, Segmenter(lex.protected_words), cfg, lang)
    from voc.io.writers import writing

    with writing(out_dir, f"; the weekly report in {out_dir} is incomplete"):
        paths = write_weekly(rep, Path(out_dir))
    ups = [m for m in rep["movers"] if m["significant"] and m["direction"] == "up"][:3]
    click.echo(f"voc: weekly report {week} ({rep['header']['records']['this_week']} records) -> {paths['html']}", err=True)
    for m in ups:
        click.echo(f"  rising: {m['theme']} {m['prev_week']} -> {m['this_week']} records "
                   f"(z {m['z_vs_prev']:+} vs last week, {m['z_vs_baseline']:+} vs the 8-week baseline)", err=True)
    for e in rep["emerging_terms"][:3]:
        what = "new" if e["new"] else f"{e['lift']}x the baseline share"
        click.echo(f"  emerging: '{e['term']}' in {e['this_week']} records ({what})", err=True)

