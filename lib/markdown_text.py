"""Text from users and from the network shown as itself wherever Streamlit renders markdown.

Streamlit draws alerts, captions and `st.markdown` with react-markdown and GitHub-flavoured
markdown, so a URL parameter such as `[Session expired - sign in again](http://…)` would become a
clickable link inside the app's own warning box, and `*`, `#` or `:red[…]` would restyle it.
Backslash escapes stop markdown syntax, but not GFM's *literal* autolinks: remark-gfm finds
`http://…`, `https://…`, `www.…` and `name@host.tld` in the text after escapes are resolved
(mdast-util-gfm-autolink-literal, transform time). So those are broken with an invisible WORD
JOINER (U+2060) after the `:` of a scheme, after `www` and after `@`: the text reads and copies
the same but is no address any more.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:]")
WORD_JOINER = "\u2060"
# Where GFM's transform-time autolinking would start: a scheme's "://", "www." and an e-mail's "@".
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def literal(text: object) -> str:
    """`text` (anything, shown with str) escaped so Streamlit markdown shows it literally: no
    links, emphasis, lists, colours or autolinked addresses."""
    broken = _AUTOLINK_STARTS.sub(WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", broken)
