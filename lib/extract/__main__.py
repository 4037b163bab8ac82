"""python -m lib.extract extract FILE_OR_URL [--published YYYY-MM-DD] [--format json|csv]
python -m lib.extract eval DIR [--verbose]
python -m lib.extract train-stance
python -m lib.extract cv-stance DIR [--groups SPLIT_JSON]"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from lib.extract.engine import Candidate, extract_statements
from lib.extract.evaluate import (
    AnnotationError,
    cross_validated_stance,
    evaluate_directory,
    group_cross_validated_stance,
    overall,
    report_lines,
    round_groups,
)
from lib.extract.fetch import fetch_article, outlet_name
from lib.extract.layout import published_from_text
from lib.extract.stance_model import MODEL_PATH, train, training_examples
from lib.gazetteer import GazetteerError
from lib.http import FetchError
from lib.statements import STATEMENT_COLUMNS, records_to_csv

# The store's record (what an import reads) first, then where the quote sits in the text.
OUTPUT_COLUMNS = [
    *(column for column in STATEMENT_COLUMNS if column not in ("id", "added_at", "added_by")),
    "on_topic",
    "char_start",
    "char_end",
    "quote_is_paraphrase",
]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "extract":
            return _extract(arguments)
        if arguments.command == "train-stance":
            return _train_stance()
        if arguments.command == "cv-stance":
            return _cross_validate_stance(arguments)
        return _evaluate(arguments)
    except (AnnotationError, FetchError, GazetteerError, OSError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib.extract", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print candidate statements of one article")
    extract.add_argument(
        "source", metavar="FILE_OR_URL", help="a UTF-8 text file or an http(s) URL"
    )
    extract.add_argument(
        "--published",
        type=_iso_date,
        help="publication date (default: from the page or byline, else today)",
    )
    extract.add_argument("--format", choices=("json", "csv"), default="json")
    evaluate = commands.add_parser("eval", help="score the extractor on annotated articles")
    evaluate.add_argument("directory", metavar="DIR", type=Path)
    evaluate.add_argument("--verbose", action="store_true", help="list misses and extras")
    commands.add_parser(
        "train-stance", help=f"rebuild {MODEL_PATH.name} from the stance-labelled statements"
    )
    cross = commands.add_parser(
        "cv-stance", help="stance accuracy with each page left out of the model's training"
    )
    cross.add_argument("directory", metavar="DIR", type=Path)
    cross.add_argument(
        "--groups",
        metavar="SPLIT_JSON",
        type=Path,
        help="leave out each round's pages (split.json's lists) instead of each page",
    )
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


def _extract(arguments: argparse.Namespace) -> int:
    source: str = arguments.source
    if source.startswith(("http://", "https://")):
        text, page_date, _title = fetch_article(source)
        source_name, source_url = outlet_name(source), source
    else:
        path = Path(source)
        if not path.is_file():
            print(f"error: {source}: no such file", file=sys.stderr)
            return 2
        text, page_date = path.read_text(encoding="utf-8"), None
        source_name, source_url = path.name, None
    published = arguments.published or page_date or published_from_text(text)
    if published is None:
        published = date.today()
        print(
            "note: no publication date given or found; "
            f"relative dates resolved against {published}",
            file=sys.stderr,
        )
    candidates = extract_statements(
        text, published=published, source_name=source_name, source_url=source_url
    )
    sys.stdout.write(format_candidates(candidates, arguments.format))
    return 0


def format_candidates(candidates: list[Candidate], fmt: str) -> str:
    """JSON keeps the quote exactly as in the text (so text[char_start:char_end] == quote);
    CSV neutralises formula-like cells as the store's exports do, and joins mediators with
    '; ' as the store's CSV import expects."""
    records = [candidate.to_record() for candidate in candidates]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    return records_to_csv(records, OUTPUT_COLUMNS)


def _train_stance() -> int:
    examples = training_examples()
    model = train(examples)
    MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
    print(f"{MODEL_PATH}: {len(examples)} statements, {len(model.feature_counts)} features")
    return 0


def _cross_validate_stance(arguments: argparse.Namespace) -> int:
    if arguments.groups:
        return _cross_validate_groups(arguments.directory, arguments.groups)
    rules, combined = cross_validated_stance(arguments.directory, training_examples())
    print(f"rules alone: stance_acc={overall(rules).stance_accuracy:.3f}")
    total = overall(combined)
    print(f"leave-one-page-out, rules and model: stance_acc={total.stance_accuracy:.3f}")
    print(f"speaker_f1={total.f1:.3f} stance_acc={total.stance_accuracy:.3f}")
    return 0


def _cross_validate_groups(directory: Path, split_path: Path) -> int:
    results = group_cross_validated_stance(
        directory, training_examples(), round_groups(directory, split_path)
    )
    for group, (rules, combined) in results.items():
        print(
            f"{group}: matched={combined.matched} speaker_f1={combined.f1:.3f} "
            f"stance_acc={combined.stance_accuracy:.3f} (rules alone {rules.stance_accuracy:.3f})"
        )
    count = len(results)
    mean_f1 = sum(combined.f1 for _, combined in results.values()) / count
    mean_rules = sum(rules.stance_accuracy for rules, _ in results.values()) / count
    mean_stance = sum(combined.stance_accuracy for _, combined in results.values()) / count
    print(f"mean over {count} groups, rules alone: stance_acc={mean_rules:.3f}")
    print(f"speaker_f1={mean_f1:.3f} stance_acc={mean_stance:.3f}")
    return 0


def _evaluate(arguments: argparse.Namespace) -> int:
    scores = evaluate_directory(arguments.directory)
    print("\n".join(report_lines(scores, verbose=arguments.verbose)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
