"""From a news article to candidate statements for the statements store (see engine.py for why
rules, and layout.py for how page clutter is kept out)."""

from lib.extract.engine import Candidate, extract_statements, fold_speaker
from lib.extract.fetch import fetch_article

__all__ = ["Candidate", "extract_statements", "fetch_article", "fold_speaker"]
