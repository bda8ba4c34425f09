"""`voc analyze INPUT... -o OUT`: one contract record per input record, in input order."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click

from voc.cli.common import lexicons_option, pipeline_option, progress
from voc.io.readers import ReadStats, read_inputs
from voc.io.writers import FORMATS, RecordWriter


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the output file's extension, else jsonl).")
@click.option("--text-col", default=None, help="Column holding the feedback text (default: detected).")
@click.option("--id-col", default=None, help="Column holding the record id (default: detected).")
@click.option("--sheet", default=None, help="XLSX sheet to read (default: the first).")
@click.option("--keep-pii", is_flag=True, help="Do not mask personal data (phones, ids, cards, emails).")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
@click.option("--topics", "with_topics", is_flag=True,
              help="Fit topics on these records (or assign them with --topic-model) and fill `topic`. "
                   "Holds the analysed records in memory until the topics are known.")
@click.option("--topic-model", type=click.Path(file_okay=False, exists=True), default=None,
              help="A saved topic model directory (from `voc topics --model-out`): keeps its topic ids.")
@pipeline_option
@lexicons_option
def analyze(inputs, output, fmt, text_col, id_col, sheet, keep_pii, show_progress, with_topics, topic_model,
            pipeline, lexicons):
    """Analyse feedback exports (CSV, TSV, XLSX, JSON, JSONL, or - for JSONL on stdin)."""
    from voc.analyzer import Analyzer

    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons, mask_pii=False if keep_pii else None)
    stats = ReadStats()
    flags: Counter = Counter()
    started = time.perf_counter()
    records = analyzer.pipe(read_inputs(list(inputs), text_col, id_col, sheet, stats))
    if with_topics or topic_model:
        from voc.topics.discover import assign_topics

        records = list(records)  # topics are a corpus-level step: they need every record first
        assign_topics(records, topic_model, user_words=analyzer.lexicons.protected_words,
                      progress=bool(show_progress))
    with RecordWriter(output, fmt, mask_meta=not keep_pii) as writer, progress(enabled=show_progress) as bar:
        for fb in records:
            writer.write(fb.to_contract())
            flags.update(f.split(":", 2)[0] + (":" + f.split(":", 2)[1] if f.startswith("error:") else "")
                         for f in fb.flags)
            bar.update(1)
    report_counts(stats, flags, writer.count, time.perf_counter() - started, output)


def report_counts(stats: ReadStats, flags: Counter, written: int, seconds: float, output: str) -> None:
    files = ", ".join(f"{Path(f['file']).name} ({f['rows']} rows, {f['format']}"
                      + (f", {f['encoding']}" if f.get("encoding") else "") + ")" for f in stats.files)
    line = f"voc: {written} records from {files} in {seconds:.1f}s"
    if flags:
        line += "; flagged: " + ", ".join(f"{k}={v}" for k, v in sorted(flags.items()))
    click.echo(line + (f" -> {output}" if output != "-" else ""), err=True)
