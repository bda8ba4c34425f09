"""`voc lexicon check | explain | test`: the taxonomy as code, checked and explained."""
from __future__ import annotations

import json

import click

from voc.cli.common import lexicons_option, pipeline_option


@click.group()
def lexicon():
    """Check, explain and test the lexicons (the taxonomy)."""


def _lexicon_dir(pipeline, lexicons):
    from voc.settings import AnalyzerSettings

    return AnalyzerSettings.load(pipeline, lexicons=lexicons).lexicons


@lexicon.command()
@pipeline_option
@lexicons_option
def check(pipeline, lexicons):
    """Validate every lexicon file; list all problems at once (exit 1 if any)."""
    from voc.lexicon import LexiconSet

    from voc.errors import LexiconError
    from voc.stages.semantic_embed import check_authored

    lex = LexiconSet.load(_lexicon_dir(pipeline, lexicons))  # raises LexiconError with every problem
    problems = [x for g in ("touchpoints", "pillars") for x in check_authored(lex.root, lex.label_ids(g), g)]
    if problems:
        raise LexiconError(problems)
    for name, g in lex.groups.items():
        click.echo(f"{name:12s} {g.kind:8s} {len(g.labels):3d} labels  {g.matcher.size:5d} cues  ({g.path})")
    click.echo(f"ok: {len(lex.groups)} groups, lexicon hash {lex.hash}")


@lexicon.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as one JSON object.")
@pipeline_option
@lexicons_option
def explain(text, as_json, pipeline, lexicons):
    """Show how TEXT is normalised, segmented and labelled, with every lexicon hit."""
    from voc.explain import explain as run_explain

    result = run_explain(text, pipeline, lexicons)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"text:      {result['text']}")
    click.echo(f"folded:    {result['folded']}")
    click.echo(f"lang:      {result['lang']}")
    click.echo(f"tokens:    {' | '.join(result['tokens'])}")
    click.echo("clauses:   " + " ‖ ".join(f"{c['text']} ({c['score']:+.2f})" for c in result["clauses"]))
    click.echo("hits:")
    for h in result["hits"]:
        neg = " (negated)" if h["negated"] else ""
        click.echo(f"  [{h['start']:>3}:{h['end']:<3}] {h['text']:<12} {h['group']}/{h['label']}"
                   f"{'/' + h['variant'] if h['variant'] != 'cues' else ''} w={h['weight']:+g}{neg}  <- {h['source']}")
    r = result["record"]
    click.echo(f"sentiment: {r['sentiment']['label']} {r['sentiment']['score']:+.3f}   frustration: {r['frustration']:.3f}")
    for group in ("touchpoints", "pillars", "costs", "signals"):
        if r[group]:
            click.echo(f"{group + ':':11s}" + ", ".join(
                x["id"] + (f"({x.get('sentiment') or x.get('polarity')})" if x.get("sentiment") or x.get("polarity") else "")
                + " <- " + "/".join(e["text"] for e in x["evidence"]) for x in r[group]))
    if r["flags"]:
        click.echo(f"flags:     {', '.join(r['flags'])}")


@lexicon.command("test")
@pipeline_option
@lexicons_option
@click.option("-q", "--quiet", is_flag=True, help="Only print failures and the summary.")
def test_cmd(pipeline, lexicons, quiet):
    """Run the example sentences in <lexicons>/tests/*.toml; exit 1 if any fails."""
    from voc.analyzer import Analyzer
    from voc.lexicon_tests import run_cases

    analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)
    results = run_cases(analyzer)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok and quiet:
            continue
        mark = "ok  " if r.ok else "FAIL"
        detail = "" if r.ok else (f"  missing {r.missing}" if r.missing else "") + (f"  unexpected {r.unexpected}" if r.unexpected else "")
        click.echo(f"{mark} {r.file}#{r.index}: {r.text[:60]}{detail}")
    click.echo(f"{len(results) - len(failed)}/{len(results)} example sentences pass")
    if failed:
        raise SystemExit(1)
