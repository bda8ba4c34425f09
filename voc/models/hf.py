"""A user's own fine-tuned sequence-classification model, loaded from a LOCAL directory.

Never downloads: HF_HUB_OFFLINE=1 and local_files_only=True. torch and transformers are imported
only when this backend is constructed, so the rest of voc never pays for them.

pipelines/analyze.toml:
    [sentiment]
    backend = "transformers"
    model_dir = "/models/my-finetuned-sentiment"
    label_map = { negative = "LABEL_0", positive = "LABEL_1" }   # optional: neutral = "..."
    threads = 1
    batch_size = 32

`label_map` says which of the model's labels (its config.id2label values) means negative, neutral
and positive; it must agree with the model, or loading fails with both listed. The score is
P(positive) - P(negative), in [-1, 1].
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from voc.errors import BackendError

_POLARITIES = ("negative", "neutral", "positive")


class TransformersSentiment:
    def __init__(self, model_dir: str | Path | None = None, label_map: dict | None = None, threads: int = 1,
                 batch_size: int = 32, max_length: int = 256, **_options):
        if not model_dir:
            raise BackendError("the transformers backend needs model_dir = \"/path/to/local/model\" in [sentiment]")
        path = Path(model_dir).expanduser()
        if not (path / "config.json").is_file():
            raise BackendError(f"{path}: not a local model directory (no config.json); voc never downloads models")
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise BackendError(f"the transformers backend needs torch and transformers "
                               f"(pip install -e '.[models]'): {exc}") from None
        self._torch = torch
        self.threads = max(1, int(threads))
        self.batch_size = max(1, int(batch_size))
        self.max_length = int(max_length)
        torch.set_num_threads(self.threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True)
        except Exception as exc:  # transformers raises many types; the message is what matters
            raise BackendError(f"{path}: cannot load the model locally: {exc}") from None
        self.model.eval()
        id2label = {int(k): str(v) for k, v in (self.model.config.id2label or {}).items()}
        self.id2label = id2label
        self.columns = self._check_label_map(label_map, id2label, path)
        digest = hashlib.sha256()
        for name in sorted(p.name for p in path.iterdir() if p.is_file()):
            st = (path / name).stat()
            digest.update(f"{name}:{st.st_size}".encode())
        digest.update(repr(sorted(self.columns.items())).encode())
        self.model_id = f"transformers-{path.name}-{digest.hexdigest()[:12]}"

    @staticmethod
    def _check_label_map(label_map, id2label: dict[int, str], path: Path) -> dict[str, int]:
        """polarity -> column index, checked against the model's own labels."""
        model_labels = sorted(id2label.values())
        if not label_map:
            # Without a map, accept only a model whose labels already say what they mean.
            lowered = {v.lower(): k for k, v in id2label.items()}
            if "negative" in lowered and "positive" in lowered:
                return {p: lowered[p] for p in _POLARITIES if p in lowered}
            raise BackendError(f"{path}: set label_map in [sentiment] (e.g. {{ negative = \"LABEL_0\", "
                               f"positive = \"LABEL_1\" }}); the model's labels are {model_labels}")
        if not isinstance(label_map, dict):
            raise BackendError(f"label_map must be a table like {{ negative = \"LABEL_0\", positive = \"LABEL_1\" }}, "
                               f"got {label_map!r}")
        unknown_keys = sorted(set(label_map) - set(_POLARITIES))
        by_name = {v: k for k, v in id2label.items()}
        missing = sorted(str(v) for v in label_map.values() if str(v) not in by_name)
        problems = []
        if unknown_keys:
            problems.append(f"unknown polarities {unknown_keys} (use negative, neutral, positive)")
        if "negative" not in label_map or "positive" not in label_map:
            problems.append("label_map needs both negative and positive")
        if missing:
            problems.append(f"labels {missing} are not among the model's labels")
        if len({str(v) for v in label_map.values()}) != len(label_map):
            problems.append("two polarities map to the same label")
        if problems:
            raise BackendError(f"{path}: label_map does not agree with the model: " + "; ".join(problems)
                               + f". Configured label_map: {dict(label_map)}; model config.id2label: "
                               + f"{dict(sorted(id2label.items()))}")
        return {p: by_name[str(v)] for p, v in label_map.items()}

    def predict(self, texts: list[str]) -> list[float]:
        """P(positive) - P(negative) per text, in order; 0.0 for an empty or blank text."""
        torch = self._torch
        neg, pos = self.columns["negative"], self.columns["positive"]
        out = [0.0] * len(texts)
        todo = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        with torch.inference_mode():
            for k in range(0, len(todo), self.batch_size):
                idx = todo[k:k + self.batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1)
                scores = (probs[:, pos] - probs[:, neg]).clamp(-1.0, 1.0)
                for i, s in zip(idx, scores.tolist()):
                    out[i] = float(s)
        return out
