"""The `voc` command line: thin commands that parse options, call the library and render.

Each command lives in its own module and is added to the group below (one line per command)."""
from __future__ import annotations

import logging
import sys

import click

from voc import __version__
from voc.errors import VocError


class VocGroup(click.Group):
    """Turns VocError into a one-line message and exit code 1 (a traceback only with -v)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VocError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            click.echo(f"voc: error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=VocGroup)
@click.version_option(__version__, prog_name="voc")
@click.option("-v", "--verbose", is_flag=True, help="Show debug logs and tracebacks.")
@click.pass_context
def main(ctx, verbose):
    """voc: offline voice-of-customer analysis for Chinese, English and code-mixed feedback."""
    ctx.obj = {"verbose": verbose}
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="voc: %(levelname)s: %(message)s")


from voc.cli.analyze import analyze  # noqa: E402
from voc.cli.lexicon import lexicon  # noqa: E402
from voc.cli.report import report  # noqa: E402
from voc.cli.serve import serve  # noqa: E402
from voc.cli.store import ingest, weekly  # noqa: E402
from voc.cli.topics import topics  # noqa: E402
from voc.cli.watch import watch  # noqa: E402

main.add_command(analyze)
main.add_command(lexicon)
main.add_command(report)
main.add_command(ingest)
main.add_command(weekly)
main.add_command(watch)
main.add_command(serve)
main.add_command(topics)
