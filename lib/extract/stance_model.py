"""A small learned stance classifier: multinomial naive Bayes over word uni- and bigrams.

Why: the cue rules in `stance.py` were tuned page by page and reach about 0.85 on the pages
they were tuned on but 0.58–0.63 on pages never seen (issue 14). Where no cue fires the rules
can only guess from the reporting verb, and that guess is where most unseen-page misses are.
Naive Bayes learns which words go with which job from the statements the repository already
labels by the same guide (the curated quotes in data/statements/*.csv and the annotated real
pages in tests/fixtures/real_articles/tuning/); it needs no package beyond the standard library
and its whole state is a table of word counts, stored in `stance_model.json` beside this file
and rebuilt with `python -m lib.extract train-stance`. `classify_stance` asks it only when no
cue rule fires (see there); `python -m lib.extract cv-stance` measures that combination with
whole pages left out, the estimate of its accuracy on new pages.
"""

from __future__ import annotations

import contextvars
import csv
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.config import DATA_DIR

MODEL_PATH = Path(__file__).with_name("stance_model.json")
STATEMENT_FILES = DATA_DIR / "statements"
TUNING_PAGES = Path(__file__).parents[2] / "tests" / "fixtures" / "real_articles" / "tuning"
SMOOTHING = 0.5  # additive smoothing of the word counts
MIN_COUNT = 3  # a feature seen once carries no evidence worth storing
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")


@dataclass(frozen=True)
class Example:
    text: str
    stance: str
    source: str  # the page address, so a page's own statements can be left out


class StanceModel:
    def __init__(
        self, label_counts: dict[str, int], feature_counts: dict[str, dict[str, int]]
    ) -> None:
        self.label_counts = label_counts  # statements per stance
        self.feature_counts = feature_counts  # feature -> stance -> count
        totals = dict.fromkeys(label_counts, 0)
        for counts in feature_counts.values():
            for label, count in counts.items():
                totals[label] += count
        documents = sum(label_counts.values())
        self._log_prior = {label: math.log(n / documents) for label, n in label_counts.items()}
        self._log_denominator = {
            label: math.log(totals[label] + SMOOTHING * len(feature_counts))
            for label in label_counts
        }

    def scores(self, text: str) -> dict[str, float]:
        """Posterior probability of each stance for `text`."""
        logs = dict(self._log_prior)
        for feature in features(text):
            known = self.feature_counts.get(feature)
            if known is None:
                continue
            for label in logs:
                logs[label] += math.log(known.get(label, 0) + SMOOTHING)
                logs[label] -= self._log_denominator[label]
        top = max(logs.values())
        weights = {label: math.exp(log - top) for label, log in logs.items()}
        total = sum(weights.values())
        return {label: weight / total for label, weight in weights.items()}

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable stance and its probability."""
        scores = self.scores(text)
        label = max(scores, key=lambda name: (scores[name], name))
        return label, scores[label]

    def to_json(self) -> str:
        return (
            json.dumps(
                {"label_counts": self.label_counts, "feature_counts": self.feature_counts},
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
            )
            + "\n"
        )


def features(text: str) -> list[str]:
    """Lower-case words and adjacent word pairs ("not ready", "ready to")."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return words + [f"{first} {second}" for first, second in itertools.pairwise(words)]


def train(examples: Iterable[Example]) -> StanceModel:
    label_counts: dict[str, int] = {}
    feature_counts: dict[str, dict[str, int]] = {}
    for example in examples:
        label_counts[example.stance] = label_counts.get(example.stance, 0) + 1
        for feature in features(example.text):
            counts = feature_counts.setdefault(feature, {})
            counts[example.stance] = counts.get(example.stance, 0) + 1
    kept = {
        feature: dict(sorted(counts.items()))
        for feature, counts in sorted(feature_counts.items())
        if sum(counts.values()) >= MIN_COUNT
    }
    return StanceModel(dict(sorted(label_counts.items())), kept)


def training_examples(
    statement_files: Path = STATEMENT_FILES, pages: Path = TUNING_PAGES
) -> list[Example]:
    """The curated quotes and the on-topic statements of the annotated tuning pages."""
    examples = []
    for path in sorted(statement_files.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            examples += [
                Example(row["quote"], row["stance"], row["source_url"])
                for row in csv.DictReader(handle)
            ]
    for path in sorted(pages.glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        source = annotation["sources"][0]
        examples += [
            Example(statement["quote"], statement["stance"], source)
            for statement in annotation["statements"]
            if statement["on_topic"]
        ]
    return examples


@lru_cache(maxsize=1)
def _stored_model() -> StanceModel:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return StanceModel(data["label_counts"], data["feature_counts"])


_STORED = "stored"
_override: contextvars.ContextVar[StanceModel | str | None] = contextvars.ContextVar(
    "stance_model", default=_STORED
)


def current_model() -> StanceModel | None:
    """The stored model, unless a cross-validation run has put a fold's model (or None, for
    the rules alone) in its place."""
    model = _override.get()
    return _stored_model() if model == _STORED else model  # type: ignore[return-value]


@contextmanager
def using(model: StanceModel | None) -> Iterator[None]:
    """Classify with `model` (None: the cue rules alone) inside the block."""
    token = _override.set(model)
    try:
        yield
    finally:
        _override.reset(token)
