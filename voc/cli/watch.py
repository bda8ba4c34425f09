"""`voc watch [SOURCE]`: real-time frustration alerts from chat turns (CONTRACT.md alert lines).

stdout carries alerts only (with the default stdout sink); logs, problem counts and statistics go
to stderr. `--replay FILE --report` prints a readable replay report to stdout instead.
"""
from __future__ import annotations

import gc
import sys
import time

import click

from voc.cli.common import lexicons_option, pipeline_option


@click.command()
@click.argument("source", default="-", required=False)
@click.option("--sink", "sinks", multiple=True,
              help="Where alerts go: - (stdout, default), redis://HOST:PORT/DB?stream=NAME, or an http(s) "
                   "webhook URL. Repeat for several.")
@click.option("--follow", is_flag=True, help="Keep reading FILE as it grows (like tail -F).")
@click.option("--replay", type=click.Path(exists=True, dir_okay=False),
              help="Replay a recorded JSONL stream as fast as possible, with its own timestamps as the clock.")
@click.option("--report", is_flag=True, help="With --replay: print alert counts, timelines and latency.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Watch settings TOML (default: pipelines/watch.toml).")
@click.option("--consumer", default=None, help="Redis consumer name (default: host-pid).")
@click.option("--batch", default=100, show_default=True, help="Redis: entries read per call.")
@click.option("--block-ms", default=500, show_default=True, help="Redis: wait per read when idle.")
@click.option("--claim-idle-ms", default=30000, show_default=True,
              help="Redis: take over other consumers' entries pending this long (XAUTOCLAIM).")
@click.option("--stop-after-idle", type=float, default=None,
              help="Stop after this many seconds without input (Redis and --follow; default: never).")
@click.option("--dead-letter", default="voc-watch-dead-letter.jsonl", show_default=True,
              help="Webhook: alerts that could not be delivered are appended here.")
@click.option("--retries", default=5, show_default=True, help="Webhook: retries before dead-lettering.")
@click.option("--stats-every", type=float, default=None, help="Print counters to stderr every N seconds.")
@click.option("--keep-pii", is_flag=True, help="Do not mask personal data in quoted reasons.")
@pipeline_option
@lexicons_option
def watch(source, sinks, follow, replay, report, config_path, consumer, batch, block_ms, claim_idle_ms,
          stop_after_idle, dead_letter, retries, stats_every, keep_pii, pipeline, lexicons):
    """Raise frustration alerts from chat turns: SOURCE is - (JSONL on stdin), a JSONL file, or
    redis://HOST:PORT/DB?stream=chat-turns&group=voc (a consumer group, at-least-once).

    One alert per frustration episode; a warning that turns critical is sent again as an update of
    the same alert (same alert_id, revision 2, escalated true)."""
    from voc.analyzer import Analyzer
    from voc.monitor import WatchConfig
    from voc.transports import is_redis, open_sink
    from voc.transports.engine import EventClock, Watch

    if report and not replay:
        raise click.UsageError("--report needs --replay FILE")
    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons, mask_pii=False if keep_pii else None)
    cfg = WatchConfig.load(config_path, analyzer.lexicons)
    analyzer.narrow(cfg.labels, cfg.model_for_agent_turns)
    analyzer.analyze(_warmup())  # first-call costs (segmenter dictionaries) before the clock runs
    # The lexicons, automata and model tables live as long as the consumer: keep their ~10^6
    # objects out of every full garbage collection, which would otherwise stall a turn for ms.
    gc.freeze()
    if not sinks:
        sinks = () if report else ("-",)
    outs = [_file_safe(open_sink(s, dead_letter=dead_letter, retries=retries), s, dead_letter) for s in sinks]
    started = time.perf_counter()
    try:
        if replay:
            from voc.transports.replay import replay_report

            text = replay_report(analyzer, cfg, replay, outs, report)
            if report:
                click.echo(text)
            else:
                click.echo(text, err=True)
            return
        if is_redis(source):
            _run_redis(source, analyzer, cfg, outs, consumer, batch, block_ms, claim_idle_ms, stop_after_idle)
            return
        from voc.transports import stdio

        w = Watch(analyzer, cfg, outs, stats_every=stats_every)
        click.echo(f"voc watch: ready, reading {source}", err=True)
        if source == "-":
            lines = stdio.stdin_batches(cfg.max_line_bytes, cfg.max_batch)
        elif follow:
            stop = _idle_stopper(w, stop_after_idle)
            lines = stdio.follow_lines(source, cfg.max_line_bytes, stop=stop)
        else:
            w.clock = EventClock()
            lines = stdio.file_batches(source, cfg.max_line_bytes, cfg.max_batch)
        try:
            w.run(lines)
        except KeyboardInterrupt:
            pass
        click.echo(f"voc watch: {w.stats()} in {time.perf_counter() - started:.1f}s", err=True)
    except OSError as exc:
        from voc.errors import InputError

        raise InputError(f"{source}: {exc}") from None
    finally:
        for o in outs:
            o.close()


def _run_redis(source, analyzer, cfg, outs, consumer, batch, block_ms, claim_idle_ms, stop_after_idle):
    from voc.transports.engine import Counts, TurnReader
    from voc.transports.redis_streams import RedisConsumer

    counts = Counts()
    rc = RedisConsumer(source, TurnReader(analyzer, cfg, counts), cfg, outs, counts, consumer=consumer,
                       batch=batch, block_ms=block_ms, claim_idle_ms=claim_idle_ms)
    started = time.perf_counter()
    click.echo(f"voc watch: ready, consumer {rc.consumer} of group {rc.group} on stream {rc.stream}", err=True)
    try:
        rc.run(stop_after_idle=stop_after_idle)
    except KeyboardInterrupt:
        pass
    click.echo(f"voc watch: consumer {rc.consumer}: {counts.line()} in {time.perf_counter() - started:.1f}s",
               err=True)


def _file_safe(sink, spec: str, dead_letter: str):
    """Sinks that write local files (stdout, a webhook's dead-letter file) get clear write errors."""
    return _FileSafeSink(sink, spec, dead_letter) if spec in ("-", "stdout") or spec.startswith("http") else sink


class _FileSafeSink:
    """A stdout or webhook sink whose local writes (stdout, the dead-letter file) fail with a clear
    one-line error naming the file instead of a traceback or an error blamed on the source."""

    def __init__(self, sink, spec: str, dead_letter: str):
        self.sink, self.failed = sink, False
        self.where = "-" if spec in ("-", "stdout") else dead_letter
        self.what = "" if self.where == "-" else f" (dead-letter file for {spec})"

    def __getattr__(self, name):
        return getattr(self.sink, name)

    def write(self, alert):
        from voc.io.writers import writing

        try:
            with writing(self.where, "; this alert and any after it were not written", self.what):
                return self.sink.write(alert)
        except Exception:
            self.failed = True
            raise

    def close(self):
        from voc.io.writers import writing

        try:
            with writing(self.where, label=self.what):
                self.sink.close()
        except Exception:
            if not self.failed:  # after a failed write, report that failure, not the close
                raise


def _idle_stopper(w, seconds):
    if seconds is None:
        return None
    state = {"n": -1, "t": time.monotonic()}

    def stop() -> bool:
        n = w.reader.n
        if n != state["n"]:
            state["n"], state["t"] = n, time.monotonic()
        return time.monotonic() - state["t"] >= seconds

    return stop


def _warmup():
    from voc.records import Feedback

    return Feedback(id="warmup", raw_text="你好，我的退款还没到账。Hello, my refund has not arrived.",
                    conversation_id="warmup", speaker="customer")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(watch())
