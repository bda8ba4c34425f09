"""`voc report INPUT... -o DIR`: the pain-point report as HTML, Markdown, XLSX and JSON."""
from __future__ import annotations

import click

from voc.cli.common import lexicons_option, pipeline_option, progress
from voc.io.readers import ReadStats, read_inputs


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory for the report files.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the feedback's).")
@click.option("--title", default=None, help="Report title.")
@click.option("--text-col", default=None, help="Column holding the feedback text (default: detected).")
@click.option("--id-col", default=None, help="Column holding the record id (default: detected).")
@click.option("--sheet", default=None, help="XLSX sheet to read (default: the first).")
@click.option("--settings", default=None, type=click.Path(dir_okay=False), help="Report settings TOML (default: pipelines/report.toml).")
@click.option("--progress/--no-progress", "show_progress", default=None)
@click.option("--topics/--no-topics", "with_topics", default=True, show_default=True,
              help="Discover topics (within touchpoints and in the residue) and use them in the report.")
@pipeline_option
@lexicons_option
def report(inputs, out_dir, lang, title, text_col, id_col, sheet, settings, show_progress, with_topics, pipeline,
           lexicons):
    """Analyse exports and write the ranked pain-point report (report.html/.md/.xlsx/.json)."""
    from pathlib import Path

    from voc.analyzer import Analyzer
    from voc.reports.build import build_report
    from voc.reports.render_flat import write_all

    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)
    stats = ReadStats()
    analysed = []
    with progress(enabled=show_progress, desc="analysing") as bar:
        for fb in analyzer.pipe(read_inputs(list(inputs), text_col, id_col, sheet, stats)):
            analysed.append(fb)
            bar.update(1)
    if with_topics and len(analysed) >= 50:  # too few records make no topics worth naming
        from voc.topics.discover import assign_topics

        assign_topics(analysed, user_words=analyzer.lexicons.protected_words, progress=bool(show_progress))
    from voc.stages.pii import mask_record

    records = [mask_record(fb.to_contract()) for fb in analysed]  # other columns too ("手机号", "email")
    result = build_report(records, analyzer.lexicons, analyzer.provenance, stats.files, lang, settings, title)
    from voc.io.writers import writing

    with writing(out_dir, f"; the report in {out_dir} is incomplete"):
        paths = write_all(result, Path(out_dir))
    top = result["pain_points"][:3]
    names = result["names"]
    click.echo(f"voc: report on {len(records)} records -> {paths['html']}", err=True)
    for p in top:
        click.echo(f"  #{p['rank']} {names['touchpoints'].get(p['touchpoint'], p['touchpoint'])} x "
                   f"{names['pillars'].get(p['pillar'], p['pillar'])}: {p['volume']} records, priority {p['priority']:.1f}", err=True)
