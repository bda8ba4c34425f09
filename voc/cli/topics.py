"""`voc topics INPUT... -o topics.json`: discover topics in feedback exports and write the topic table."""
from __future__ import annotations

import json
import time

import click

from voc.cli.common import lexicons_option, pipeline_option, progress


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Topic table (JSON), or - for stdout.")
@click.option("--model-out", type=click.Path(file_okay=False), default=None,
              help="Save the fitted topic model to this directory (JSON + .npz).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Assign records to this saved model's topics instead of fitting.")
@click.option("--refit", is_flag=True,
              help="With --model: fit anew, keeping the ids of topics that match the model's.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampling and clustering.")
@click.option("--min-topic-size", type=click.IntRange(2), default=10, show_default=True,
              help="Smallest cluster HDBSCAN may call a topic.")
@click.option("--flat", is_flag=True, help="Cluster all records together instead of within touchpoints.")
@click.option("--records-out", default=None,
              help="Also write the analysed records with their `topic` field (JSONL).")
@click.option("--text-col", default=None, help="Column holding the feedback text (default: detected).")
@click.option("--id-col", default=None, help="Column holding the record id (default: detected).")
@click.option("--sheet", default=None, help="XLSX sheet to read (default: the first).")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Progress bars on stderr (default: when stderr is a terminal).")
@pipeline_option
@lexicons_option
def topics(inputs, output, model_out, model_dir, refit, seed, min_topic_size, flat, records_out, text_col,
           id_col, sheet, show_progress, pipeline, lexicons):
    """Find topics within touchpoints and proposed topics in the residue; write the topic table."""
    from voc.analyzer import Analyzer
    from voc.errors import ConfigError
    from voc.io.readers import ReadStats, read_inputs
    from voc.topics import discover, topic_table

    if refit and not model_dir:
        raise ConfigError("--refit needs --model DIR (the model whose ids to keep)")
    started = time.perf_counter()
    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)
    stats = ReadStats()
    with progress(enabled=show_progress, desc="analyse") as bar:
        records = []
        for fb in analyzer.pipe(read_inputs(list(inputs), text_col, id_col, sheet, stats)):
            records.append(fb)
            bar.update(1)
    enabled = show_progress if show_progress is not None else None
    if enabled is None:
        import sys

        enabled = sys.stderr.isatty()
    model, result = discover(records, model=model_dir, refit=refit, governed=not flat, seed=seed,
                             min_topic_size=min_topic_size, user_words=analyzer.lexicons.protected_words,
                             progress=enabled)
    table = topic_table(records, model, result)
    table["provenance"] = analyzer.provenance
    text = json.dumps(table, ensure_ascii=False, indent=1)
    from voc.io.writers import writing

    with writing(output):
        if output == "-":
            click.echo(text)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
    if model_out:
        with writing(model_out, f"; the model in {model_out} is incomplete"):
            model.save(model_out)
    if records_out:
        from voc.io.writers import RecordWriter

        labels = {t.id: t.label for t in model.topics}
        with RecordWriter(records_out, "jsonl") as writer:
            for fb, tid in zip(records, result.ids.tolist()):
                fb.topic = {"id": int(tid), "label": labels.get(tid, "other")}
                writer.write(fb.to_contract())
    n_topics = sum(1 for r in table["topics"] if r["id"] != -1)
    proposed = sum(1 for r in table["topics"] if r["status"] == "proposed")
    click.echo(f"voc: {len(records)} records, {n_topics} topics ({proposed} proposed), "
               f"other {table['other_share']:.1%} in {time.perf_counter() - started:.1f}s"
               + (f" -> {output}" if output != "-" else "")
               + (f"; model -> {model_out}" if model_out else ""), err=True)
