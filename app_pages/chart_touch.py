"""One tap on a selectable Plotly chart selects on a touch screen, as one click does with a mouse.

Why a tap alone does not select: Plotly's click handler selects the point of the chart's last
hover (`gd._hoverdata`) and only then, for its click event, works out the point under the
pointer and shows its tooltip. A mouse hovers before it clicks, so the selection is that of the
point clicked. A finger does not: the first tap selects nothing (only the tooltip and a
`plotly_click`, which Streamlit ignores for bars, appear), and a second tap selects the point of
the first. So the script below hands Plotly a hover at the finger's place when the finger comes
down, before Plotly's own touch handling ends the tap; mice and pens are left alone, so a
desktop click and hover behave as before.
"""

from __future__ import annotations

import streamlit as st

# Installed once per page (the flag), on the document, so it serves every chart the page redraws.
_HOVER_ON_TOUCH = """
<script>
if (!window.frontlineHoverOnTouch) {
  window.frontlineHoverOnTouch = true;
  document.addEventListener("touchstart", (event) => {
    const target = event.target;
    if (event.touches.length !== 1 || !(target instanceof Element)) return;
    if (!target.closest(".stPlotlyChart")) return;
    const touch = event.touches[0];
    target.dispatchEvent(new MouseEvent("mousemove", {
      bubbles: true, cancelable: true, view: window,
      clientX: touch.clientX, clientY: touch.clientY,
    }));
  }, {capture: true, passive: true});
}
</script>
"""


def select_on_first_tap() -> None:
    """Make one tap on the page's selectable Plotly charts select the tapped point."""
    st.html(_HOVER_ON_TOUCH, unsafe_allow_javascript=True, width="content")
