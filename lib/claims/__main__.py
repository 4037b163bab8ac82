"""`python -m lib.claims check "SENTENCE" [--date YYYY-MM-DD] [--format json|text]`.

Checks the claim against the bundled monthly figures of ISW and DeepStateMap. JSON: an object with
`claim` (what was understood) and `verdicts` (one per source). Exit status 0 when checked (whatever
the verdicts), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from lib import territory
from lib.claims import check_claim, parse_claim


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.claims", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check a battlefield claim against both sources")
    check.add_argument("sentence")
    check.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="when the claim was made (default today): periods count back from it",
    )
    check.add_argument("--format", choices=("json", "text"), default="text")
    arguments = parser.parse_args(argv)

    claim = parse_claim(arguments.sentence, arguments.date)
    monthly = {source: territory.read_bundled_monthly(source) for source in ("isw", "deepstate")}
    verdicts = check_claim(claim, monthly)
    if arguments.format == "json":
        payload = {"claim": claim.as_dict(), "verdicts": [v.as_dict() for v in verdicts]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        understood = claim.as_dict()
        print(
            f"claim: side={understood['side']} direction={understood['direction']} "
            f"measure={understood['measure']} months={','.join(claim.months) or '-'}"
            f" cited={understood['cited_source'] or '-'}"
        )
        for verdict in verdicts:
            print(f"{verdict.source}: {verdict.verdict} — {verdict.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
