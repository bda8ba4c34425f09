"""The analyzer: one record type through one sequence of stages, for batches and streams alike.

`pipe(records)` is the only code path; `analyze(record)` is a batch of one, so batch output and
streaming output cannot drift apart. A record that fails is emitted with an `error:<reason>` flag,
never dropped.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice

from voc import __version__
from voc.lexicon import LexiconSet
from voc.records import Feedback
from voc.registry import resolve
from voc.settings import AnalyzerSettings, check_labels
from voc.stages import frustration as frustration_stage
from voc.stages import pii, sentiment, taxonomy
from voc.stages.context import Work
from voc.text import clean, detect_lang, fold, split_clauses

log = logging.getLogger("voc")


class Analyzer:
    def __init__(self, settings: AnalyzerSettings, lexicons: LexiconSet | None = None, backend=None):
        self.settings = settings
        self.lexicons = lexicons or LexiconSet.load(settings.lexicons)
        # a batch is prepared before it is finished: keep every text of a batch in the hit cache
        self.lexicons.cache_size = max(self.lexicons.cache_size, 2 * settings.batch_size)
        if backend is None:
            backend = resolve("sentiment", settings.sentiment_backend)(**settings.sentiment_options)
        self.backend = backend
        self.blend = settings.sentiment_blend if backend.model_id != "rules" else 0.0
        # Semantic second passes (voc/stages/semantic_embed.py): group -> pass, for the groups the
        # settings turn on and the taxonomy has; a model that does not fit the taxonomy is refused.
        self.semantic: dict = {}
        wanted = [g for g, on in (("touchpoints", settings.semantic_touchpoints),
                                  ("pillars", settings.semantic_pillars)) if on and self.lexicons.label_ids(g)]
        if wanted:
            from voc.stages.semantic_embed import EmbedFill

            for group in wanted:
                fill, why_not = EmbedFill.for_lexicons(self.lexicons, group)
                if fill is None:
                    log.warning("semantic %s pass off: %s", group, why_not)
                else:
                    self.semantic[group] = fill  # the embedder itself is loaded once per process

    @classmethod
    def from_settings(cls, pipeline: str | None = None, **overrides) -> "Analyzer":
        return cls(AnalyzerSettings.load(pipeline, **overrides))

    def narrow(self, labels=None, model_for_agent_turns: bool | None = None) -> "Analyzer":
        """Compute less per record (what `voc watch` needs): only these taxonomy groups, and agent
        turns scored by the rule layer alone. Returns self."""
        if labels is not None:
            self.settings.labels = check_labels(labels, "analyzer")
        if model_for_agent_turns is not None:
            self.settings.model_for_agent_turns = bool(model_for_agent_turns)
        return self

    @property
    def provenance(self) -> dict:
        """What a report must record so its numbers can be reproduced."""
        return {"voc_version": __version__, "lexicon_hash": self.lexicons.hash,
                "lexicons": str(self.lexicons.root), "sentiment_model": self.backend.model_id,
                "sentiment_blend": self.blend}

    # ------------------------------------------------------------------ public
    def analyze(self, record: Feedback) -> Feedback:
        return next(self.pipe([record]))

    def pipe(self, records: Iterable[Feedback]) -> Iterator[Feedback]:
        it = iter(records)
        while batch := list(islice(it, self.settings.batch_size)):
            yield from self._run_batch(batch)

    # ------------------------------------------------------------------ stages
    def _run_batch(self, batch: list[Feedback]) -> list[Feedback]:
        works: list[Work | None] = [self._guard(fb, self._prepare, fb) for fb in batch]
        live = [w for w in works if w is not None and w.fb.text
                and (self.settings.model_for_agent_turns or w.fb.speaker != "agent")]
        if live and self.blend:
            try:
                scores = self.backend.predict([w.fb.text for w in live])
            except Exception as exc:  # a model failure must not lose the batch
                log.error("sentiment backend failed on a batch of %d: %s", len(live), exc)
                for w in live:
                    w.fb.flag("error:sentiment_backend")
                scores = [None] * len(live)
            for w, s in zip(live, scores):
                w.model_score = s
        for fb, work in zip(batch, works):
            if work is not None and fb.text:
                self._guard(fb, self._finish, work)
        passes = [(g, f) for g, f in self.semantic.items() if g in self.settings.labels]
        if passes:
            done = [w.fb for w in works if w is not None and w.fb.text and not any(
                f.startswith("error:") for f in w.fb.flags)]
            for group, fill in passes:
                try:
                    fill.augment_many(done)
                except Exception as exc:  # the second pass only adds labels: never lose the batch
                    log.error("semantic %s pass failed on a batch of %d: %s", group, len(done), exc)
        return batch

    def _guard(self, fb: Feedback, fn, arg):
        try:
            return fn(arg)
        except Exception as exc:  # one bad record never kills the run
            log.debug("record %s failed in %s", fb.id, fn.__name__, exc_info=True)
            fb.flag(f"error:{type(exc).__name__}")
            fb.sentiment_label, fb.sentiment_score, fb.frustration = "neutral", 0.0, 0.0
            for group in ("touchpoints", "pillars", "costs", "signals"):
                setattr(fb, group, [])
            if not fb.text:
                fb.text = fb.raw_text if isinstance(fb.raw_text, str) else ""
            return None

    def _prepare(self, fb: Feedback) -> Work | None:
        raw = fb.raw_text if isinstance(fb.raw_text, str) else ("" if fb.raw_text is None else str(fb.raw_text))
        text, flags = clean(raw, self.settings.max_chars)
        for f in flags:
            fb.flag(f)
        if self.settings.mask_pii:
            text, counts = pii.mask(text)
            if counts:
                fb.flag("pii_masked")
        fb.text = text
        if not text:
            fb.flag("empty_text")
            fb.lang = "other"
            return None
        folded = pii.blank_masks(fold(text))
        fb.lang = detect_lang(pii.blank_masks(text))
        clauses = split_clauses(text, folded)
        fb.clauses = clauses
        work = Work(fb, folded, self.lexicons, clauses)
        sentiment.score_clauses(work)
        return work

    def _finish(self, work: Work) -> None:
        fb = work.fb
        rule = sentiment.rule_document_score(work)
        score = rule
        if work.model_score is not None and self.blend:
            score = (1 - self.blend) * rule + self.blend * work.model_score
        template = bool(work.lex.match("quality", work.folded))
        if template:
            fb.flag("template_review")
            score = 0.0  # a template is not praise
        fb.sentiment_score = max(-1.0, min(1.0, score))
        fb.sentiment_label = sentiment.label_of(fb.sentiment_score, self.settings.sentiment_threshold)
        labels = self.settings.labels
        if "touchpoints" in labels:
            fb.touchpoints = taxonomy.touchpoints(work, fb.sentiment_score)
        if "pillars" in labels:
            fb.pillars = taxonomy.pillars(work)
        if "costs" in labels:
            fb.costs = taxonomy.plain(work, "costs")
        if "signals" in labels:
            fb.signals = [s for s in taxonomy.plain(work, "signals") if not (template and s.id == "advocacy")]
        fb.frustration = frustration_stage.frustration(work, fb.sentiment_score)
