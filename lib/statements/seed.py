"""Transcribe the annotated articles (../shared/data/articles/*.json) into the shipped seed CSV.

Kept as code so the seed is reproducible: `python -m lib.statements seed-from-articles
../shared/data/articles` rewrites data/seed_statements.csv. The CSV is committed, because the app
must seed itself on machines without ../shared.

Rules: off-topic statements (teasers for other stories) and `duplicate_of` repeats are left out;
`quote_is_paraphrase` is true unless the annotation's quote_type is "direct" (a "mixed" span is
not the speaker's exact words either); the source is the article's first public source;
speakers and affiliations take their canonical names (lib.statements.aliases).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lib.statements.files import records_to_csv
from lib.statements.records import RECORD_FIELDS, validate_records

# Outlet names for the first sources of the shipped articles; other hosts are named by host.
OUTLET_NAMES = {
    "kyivpost.com": "Kyiv Post",
    "newsukraine.rbc.ua": "RBC-Ukraine",
}


def outlet_name(url: str) -> str:
    """A readable outlet name for a source URL: a known name, else the host without www."""
    host = (urlsplit(url).hostname or "").rstrip(".").removeprefix("www.")
    return OUTLET_NAMES.get(host, host)


def seed_records(articles_dir: Path) -> list[dict[str, Any]]:
    """The on-topic, distinct statements of every annotation in `articles_dir`, by date."""
    records = []
    for annotation_path in sorted(Path(articles_dir).glob("*.json")):
        annotation = json.loads(annotation_path.read_text(encoding="utf-8"))
        source_url = annotation["sources"][0]
        for statement in annotation["statements"]:
            if not statement["on_topic"] or "duplicate_of" in statement:
                continue
            records.append(
                {
                    "date": statement["date"],
                    "speaker": statement["speaker"],
                    "role": statement["role"],
                    "affiliation": statement["affiliation"],
                    "stance": statement["stance"],
                    "quote": statement["quote"],
                    "quote_is_paraphrase": statement["quote_type"] != "direct",
                    "mediators": statement["mediators"],
                    "source_name": outlet_name(source_url),
                    "source_url": source_url,
                }
            )
    records.sort(key=lambda record: record["date"])
    return records


def write_seed_csv(articles_dir: Path, out: Path) -> int:
    """Write the seed CSV from the annotations; returns the number of statements written.

    Records are written as validation cleans them, so speakers and affiliations carry their
    canonical names (an annotation's "Recep Tayyip Erdogan" becomes "Recep Tayyip Erdoğan").
    """
    clean, errors = validate_records(seed_records(articles_dir))
    if errors:
        raise ValueError(f"{articles_dir}: annotations fail validation: " + "; ".join(errors))
    out.write_text(records_to_csv(clean, RECORD_FIELDS), encoding="utf-8", newline="")
    return len(clean)
