"""What Streamlit's markdown (react-markdown with remark-gfm) would make of a text, for tests."""

from __future__ import annotations

import re

# mdast-util-gfm-autolink-literal's transform-time patterns (run on text after escapes resolve).
_GFM_URL = re.compile(r"(?i)(https?://|www(?=\.))([-.\w]+)")
_GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
_INLINE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_ANGLE_AUTOLINK = re.compile(r"(?<!\\)<[a-zA-Z][a-zA-Z0-9+.-]*:")


def shown_text(markdown: str) -> str:
    """The characters a reader sees: backslash escapes resolved, invisible word joiners left out."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def links_in(markdown: str) -> list[str]:
    """Every piece of `markdown` that would render as a link."""
    found = _INLINE_LINK.findall(markdown) + _ANGLE_AUTOLINK.findall(markdown)
    text = re.sub(r"\\(.)", r"\1", markdown)
    found += [match.group(0) for match in _GFM_URL.finditer(text)]
    found += [match.group(0) for match in _GFM_EMAIL.finditer(text)]
    return found
