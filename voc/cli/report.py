"""`voc report INPUT... -o DIR`: the pain-point report as HTML, Markdown, XLSX and JSON."""
from __future__ import annotations

import gc

import click

from voc.cli.common import lexicons_option, pipeline_option, progress
from voc.io.readers import ReadStats, read_inputs

MIN_TOPIC_RECORDS = 50  # too few records make no topics worth naming
FREEZE_EVERY = 10_000  # records collected between gc.freeze() calls


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
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Analyser processes (default: 2 when the machine has 2 or more CPUs). The report is the "
                   "same whatever the number.")
@click.option("--timings", is_flag=True, help="Print wall and CPU seconds per step on stderr (benchmarks).")
@pipeline_option
@lexicons_option
def report(inputs, out_dir, lang, title, text_col, id_col, sheet, settings, show_progress, with_topics, jobs, timings,
           pipeline, lexicons):
    """Analyse exports and write the ranked pain-point report (report.html/.md/.xlsx/.json)."""
    import os
    from pathlib import Path

    from voc.analyzer import Analyzer
    from voc.reports.build import build_report
    from voc.reports.render_flat import write_all

    clock = Steps(enabled=timings)
    with clock("load"):
        analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)
    # Long-lived objects (lexicons, then the analysed records) are frozen out of the cyclic garbage
    # collector as they accumulate: each full collection would walk millions of objects that stay
    # alive anyway (that walking was ~5 of the 6 CPU s of rebuilding 100k records for topics).
    gc.freeze()
    jobs = jobs or min(2, os.cpu_count() or 1)
    stats = ReadStats()
    rows = read_inputs(list(inputs), text_col, id_col, sheet, stats)
    if jobs > 1:
        records = _analyse_in_workers(rows, analyzer, jobs, pipeline, lexicons, with_topics, show_progress, clock)
    else:
        records = _analyse_here(rows, analyzer, with_topics, show_progress, clock)
    gc.freeze()
    with clock("build"):
        result = build_report(records, analyzer.lexicons, analyzer.provenance, stats.files, lang, settings, title)
    from voc.io.writers import writing

    with writing(out_dir, f"; the report in {out_dir} is incomplete"):
        paths = write_all(result, Path(out_dir), clock)
    clock.total()
    gc.unfreeze()  # back to normal collection for whatever runs next in this process (tests)
    top = result["pain_points"][:3]
    names = result["names"]
    click.echo(f"voc: report on {len(records)} records -> {paths['html']}", err=True)
    for p in top:
        click.echo(f"  #{p['rank']} {names['touchpoints'].get(p['touchpoint'], p['touchpoint'])} x "
                   f"{names['pillars'].get(p['pillar'], p['pillar'])}: {p['volume']} records, priority {p['priority']:.1f}", err=True)


def _analyse_here(rows, analyzer, with_topics: bool, show_progress, clock) -> list[dict]:
    """One process: analyse, discover topics, then the masked contract records."""
    from voc.stages.pii import mask_record

    analysed = _collect(analyzer.pipe(rows), show_progress, clock)
    if with_topics and len(analysed) >= MIN_TOPIC_RECORDS:
        from voc.topics.discover import assign_topics

        with clock("topics"):
            assign_topics(analysed, user_words=analyzer.lexicons.protected_words, progress=bool(show_progress))
    with clock("records"):
        return [mask_record(fb.to_contract()) for fb in analysed]  # other columns too ("手机号", "email")


def _collect(stream, show_progress, clock) -> list:
    """The analysed items of `stream` in a list, with a progress bar; what is collected is frozen
    out of the garbage collector as it accumulates (see report())."""
    out = []
    with clock("read+analyse"), progress(enabled=show_progress, desc="analysing") as bar:
        for item in stream:
            out.append(item)
            bar.update(1)
            if len(out) % FREEZE_EVERY == 0:
                gc.freeze()
    gc.freeze()
    return out


def _analyse_in_workers(rows, analyzer, jobs: int, pipeline, lexicons, with_topics: bool, show_progress,
                        clock) -> list[dict]:
    """`jobs` analyser processes (voc.parallel), merged in input order; topics in this process."""
    from voc.parallel import analyse_parallel, feedback_for_topics

    pairs = _collect(analyse_parallel(rows, jobs, pipeline, lexicons, analyzer.settings.batch_size),
                     show_progress, clock)
    records = [rec for rec, _ in pairs]
    tp_scores = [scores for _, scores in pairs]
    if with_topics and len(records) >= MIN_TOPIC_RECORDS:
        from voc.topics.discover import assign_topics

        with clock("topics"):
            shims = [feedback_for_topics(r, s) for r, s in zip(records, tp_scores)]
            gc.freeze()
            assign_topics(shims, user_words=analyzer.lexicons.protected_words, progress=bool(show_progress))
            for rec, fb in zip(records, shims):
                rec["topic"] = fb.topic
    return records


class Steps:
    """Wall and CPU seconds per step (this process and the worker processes it has waited for)."""

    def __init__(self, enabled: bool):
        import time

        self.enabled, self._time = enabled, time
        self.start = self._now()

    def _now(self) -> tuple[float, float]:
        import resource

        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return self._time.perf_counter(), me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def __call__(self, name: str):
        from contextlib import contextmanager

        @contextmanager
        def step():
            t0 = self._now()
            yield
            self._say(name, t0)

        return step()

    def _say(self, name: str, t0) -> None:
        if self.enabled:
            import os

            w, c = self._now()
            click.echo(f"voc: step {name} wall {w - t0[0]:.2f} s cpu {c - t0[1]:.2f} s load {os.getloadavg()[0]:.1f}",
                       err=True)

    def total(self) -> None:
        self._say("total", self.start)
