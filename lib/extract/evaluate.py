"""Scoring the extractor against annotated articles (NAME.txt + NAME.json pairs).

Matching follows the articles README: strings are compared after folding quotes, dashes, case
and spaces; a prediction matches an annotated statement when the speakers agree (after alias
folding; unnamed speakers by affiliation) and one span contains the other or their tokens
overlap with a Jaccard index of at least 0.5. An entry and its `duplicate_of` partner form one
group: the first prediction on a group counts, a second is neutral, and so are predictions
taken from the headline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lib.extract.engine import Candidate, extract_statements, fold_speaker
from lib.extract.stance_model import Example, train, using
from lib.gazetteer import Gazetteer, fold, load_gazetteer

JACCARD_THRESHOLD = 0.5
_FOLDS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "‑": "-"})


class AnnotationError(ValueError):
    """An annotation file is unusable; the message names the file and the field."""


@dataclass
class ArticleScore:
    """Counts for one article; precision/recall/F1 are over duplicate groups."""

    name: str
    predicted: int = 0
    groups: int = 0
    matched: int = 0
    neutral: int = 0
    false_positive: int = 0
    stance_correct: int = 0
    on_topic_correct: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    wrong_stance: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        scored = self.matched + self.false_positive
        return self.matched / scored if scored else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.groups if self.groups else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_correct / self.matched if self.matched else 0.0

    @property
    def on_topic_accuracy(self) -> float:
        return self.on_topic_correct / self.matched if self.matched else 0.0


def normalise(text: str) -> str:
    """Curly quotes straight, dashes to '-', single spaces, lower case."""
    return re.sub(r"\s+", " ", text.translate(_FOLDS)).strip().lower()


def spans_match(predicted: str, annotated: str) -> bool:
    """Containment either way, or token Jaccard of at least 0.5."""
    left, right = normalise(predicted), normalise(annotated)
    if not left or not right:
        return False
    if left in right or right in left:
        return True
    return jaccard(left, right) >= JACCARD_THRESHOLD


def jaccard(left: str, right: str) -> float:
    left_tokens, right_tokens = set(re.findall(r"\w+", left)), set(re.findall(r"\w+", right))
    union = left_tokens | right_tokens
    return len(left_tokens & right_tokens) / len(union) if union else 0.0


def speakers_match(
    predicted: Candidate, annotated: dict, gazetteer: Gazetteer | None = None
) -> bool:
    """Same person or body after alias folding; unnamed sources on both sides by affiliation."""
    gazetteer = gazetteer or load_gazetteer()
    if fold_speaker(predicted.speaker, gazetteer) == fold_speaker(annotated["speaker"], gazetteer):
        return True
    both_unnamed = _is_unnamed(predicted.speaker) and _is_unnamed(annotated["speaker"])
    return both_unnamed and _fold_place(predicted.affiliation, gazetteer) == _fold_place(
        annotated.get("affiliation") or "", gazetteer
    )


def _is_unnamed(speaker: str) -> bool:
    return "unnamed" in speaker.lower()


def _fold_place(name: str, gazetteer: Gazetteer) -> str:
    place = gazetteer.place(name) if name else None
    return fold(place.name if place else name)


def score_article(
    name: str,
    text: str,
    annotation: dict,
    predictions: list[Candidate],
    gazetteer: Gazetteer | None = None,
) -> ArticleScore:
    """Match predictions to the annotation of one article (greedy by span overlap)."""
    gazetteer = gazetteer or load_gazetteer()
    statements = annotation["statements"]
    group_of = _groups(statements)
    headline_end = _headline_end(text, annotation.get("headline"))
    score = ArticleScore(name, predicted=len(predictions), groups=len(set(group_of.values())))
    pairs = []
    for p_index, prediction in enumerate(predictions):
        for g_index, statement in enumerate(statements):
            if spans_match(prediction.quote, statement["quote"]) and speakers_match(
                prediction, statement, gazetteer
            ):
                overlap = jaccard(normalise(prediction.quote), normalise(statement["quote"]))
                pairs.append((overlap, p_index, g_index))
    assigned: dict[int, int] = {}
    satisfied: set[int] = set()
    for _, p_index, g_index in sorted(pairs, key=lambda pair: -pair[0]):
        group = group_of[statements[g_index]["id"]]
        if p_index in assigned or group in satisfied:
            continue
        assigned[p_index] = g_index
        satisfied.add(group)
    touching = {p_index for _, p_index, _ in pairs}
    for p_index, prediction in enumerate(predictions):
        if p_index in assigned:
            statement = statements[assigned[p_index]]
            score.matched += 1
            if prediction.stance in (
                statement["stance"],
                *statement.get("stance_alternatives", ()),
            ):
                score.stance_correct += 1
            else:
                score.wrong_stance.append(
                    f"{statement['speaker']}: {prediction.stance} (gold {statement['stance']})"
                    f" | {statement['quote'][:70]}"
                )
            score.on_topic_correct += prediction.on_topic == bool(statement["on_topic"])
        elif p_index in touching or prediction.char_start < headline_end:
            score.neutral += 1
        else:
            score.false_positive += 1
            score.spurious.append(f"{prediction.speaker}: {prediction.quote[:80]}")
    for statement in statements:
        if group_of[statement["id"]] not in satisfied:
            score.misses.append(f"{statement['speaker']}: {statement['quote'][:80]}")
            satisfied.add(group_of[statement["id"]])
    return score


def _groups(statements: list[dict]) -> dict[int, int]:
    parent = {statement["id"]: statement["id"] for statement in statements}

    def root(key: int) -> int:
        while parent[key] != key:
            key = parent[key]
        return key

    for statement in statements:
        other = statement.get("duplicate_of")
        if other in parent:
            parent[root(statement["id"])] = root(other)
    return {key: root(key) for key in parent}


def _headline_end(text: str, headline: str | None) -> int:
    if not headline:
        return 0
    position = text.find(headline)
    return position + len(headline) if position >= 0 else 0


def read_pairs(directory: Path) -> list[tuple[str, str, dict]]:
    """(name, text, annotation) for every NAME.json with its text file, sorted by name."""
    if not directory.is_dir():
        raise AnnotationError(f"{directory}: not a directory of NAME.txt/NAME.json pairs")
    pairs = []
    for annotation_path in sorted(directory.glob("*.json")):
        try:
            annotation = json.loads(annotation_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise AnnotationError(
                f"{annotation_path.name}: not valid UTF-8 JSON ({error})"
            ) from error
        if not isinstance(annotation, dict) or "statements" not in annotation:
            raise AnnotationError(f"{annotation_path.name}: no 'statements' list")
        if "published" not in annotation:
            raise AnnotationError(f"{annotation_path.name}: no 'published' date")
        text_name = annotation.get("article_file") or f"{annotation_path.stem}.txt"
        text_path = directory / text_name
        if not text_path.is_file():
            raise AnnotationError(f"{annotation_path.name}: text file {text_name} not found")
        pairs.append((annotation_path.stem, text_path.read_text(encoding="utf-8"), annotation))
    if not pairs:
        raise AnnotationError(f"{directory}: no NAME.json annotation files")
    return pairs


def evaluate_directory(directory: Path) -> list[ArticleScore]:
    """Extract from every article in `directory` and score it against its annotation."""
    gazetteer = load_gazetteer()
    return [_evaluate_pair(pair, gazetteer) for pair in read_pairs(directory)]


def cross_validated_stance(
    directory: Path, examples: list[Example]
) -> tuple[list[ArticleScore], list[ArticleScore]]:
    """Every page scored twice: with the cue rules alone, and with a stance model trained on
    `examples` without that page's own statements (whole pages left out, never single
    statements, so a page's wording cannot leak into its own test)."""
    gazetteer = load_gazetteer()
    rules, combined = [], []
    for pair in read_pairs(directory):
        sources = set(pair[2]["sources"])
        with using(None):
            rules.append(_evaluate_pair(pair, gazetteer))
        with using(train(example for example in examples if example.source not in sources)):
            combined.append(_evaluate_pair(pair, gazetteer))
    return rules, combined


# split.json's list of each round's held-aside pages; pages in none are the first tuning set.
ROUND_KEYS = {
    "held_aside_1": "first_held_aside_scored_once_then_tuned",
    "held_aside_2": "held_aside_2",
    "held_aside_3": "held_aside_3",
    "held_aside_4": "held_aside_4",
    "held_aside_5": "held_aside_5",
    "held_aside_6": "held_aside_6",
    "held_aside_7": "held_aside_7",
    "held_aside_8": "held_aside_8",
    "held_aside_9": "held_aside_9",
}


def round_groups(directory: Path, split_path: Path) -> dict[str, list[str]]:
    """Page names of `directory` by the round that brought them (each round's pages were
    annotated by a different person), from the lists in `split.json`."""
    split = json.loads(split_path.read_text(encoding="utf-8"))
    names = sorted(path.stem for path in directory.glob("*.json"))
    groups = {
        group: [name for name in names if name in set(split.get(key, ()))]
        for group, key in ROUND_KEYS.items()
    }
    placed = {name for members in groups.values() for name in members}
    return {"original": [name for name in names if name not in placed], **groups}


def group_cross_validated_stance(
    directory: Path, examples: list[Example], groups: dict[str, list[str]]
) -> dict[str, tuple[ArticleScore, ArticleScore]]:
    """Per group, its pages scored with the cue rules alone and with a stance model trained
    without any of the group's pages: a stand-in for an unseen annotator and unseen outlets."""
    gazetteer = load_gazetteer()
    pairs = {pair[0]: pair for pair in read_pairs(directory)}
    results = {}
    for group, names in groups.items():
        members = [pairs[name] for name in names if name in pairs]
        if not members:
            continue
        sources = {address for pair in members for address in pair[2]["sources"]}
        model = train(example for example in examples if example.source not in sources)
        with using(None):
            rules = overall([_evaluate_pair(pair, gazetteer) for pair in members])
        with using(model):
            combined = overall([_evaluate_pair(pair, gazetteer) for pair in members])
        rules.name = combined.name = group
        results[group] = (rules, combined)
    return results


def _evaluate_pair(pair: tuple[str, str, dict], gazetteer: Gazetteer) -> ArticleScore:
    name, text, annotation = pair
    try:
        published = date.fromisoformat(annotation["published"])
    except (TypeError, ValueError) as error:
        raise AnnotationError(f"{name}.json: published is not YYYY-MM-DD") from error
    predictions = extract_statements(text, published=published, gazetteer=gazetteer)
    return score_article(name, text, annotation, predictions, gazetteer)


def overall(scores: list[ArticleScore]) -> ArticleScore:
    """Micro-averaged totals over articles."""
    total = ArticleScore("overall")
    for score in scores:
        for name in (
            "predicted",
            "groups",
            "matched",
            "neutral",
            "false_positive",
            "stance_correct",
            "on_topic_correct",
        ):
            setattr(total, name, getattr(total, name) + getattr(score, name))
    return total


def report_lines(scores: list[ArticleScore], *, verbose: bool = False) -> list[str]:
    """Per-article lines, the overall line, and last `speaker_f1=… stance_acc=…`."""
    lines = []
    for score in [*scores, overall(scores)]:
        lines.append(
            f"{score.name}: predicted={score.predicted} gold_groups={score.groups} "
            f"matched={score.matched} neutral={score.neutral} false_pos={score.false_positive} "
            f"precision={score.precision:.3f} recall={score.recall:.3f} f1={score.f1:.3f} "
            f"stance_acc={score.stance_accuracy:.3f} on_topic_acc={score.on_topic_accuracy:.3f}"
        )
        if verbose:
            lines += [f"  missed   {item}" for item in score.misses]
            lines += [f"  spurious {item}" for item in score.spurious]
            lines += [f"  stance   {item}" for item in score.wrong_stance]
    total = overall(scores)
    lines.append(f"speaker_f1={total.f1:.3f} stance_acc={total.stance_accuracy:.3f}")
    return lines
