"""Touch screens: one tap on a selectable Plotly chart selects; a swipe over it scrolls the page.

Why a tap alone does not select: Plotly's click handler selects the point of the chart's last
hover (`gd._hoverdata`) and only then, for its click event, works out the point under the
pointer and shows its tooltip. A mouse hovers before it clicks, so the selection is that of the
point clicked. A finger does not: the first tap selects nothing (only the tooltip and a
`plotly_click`, which Streamlit ignores for bars, appear), and a second tap selects the point of
the first. So the script below hands Plotly a hover at the finger's place when the finger comes
down, before Plotly's own touch handling ends the tap; mice and pens are left alone, so a
desktop click and hover behave as before.

Why a swipe does not scroll: Streamlit turns a selectable chart's `dragmode` False into "pan",
and with any drag mode Plotly cancels every touchstart on the plot (and every touchmove after
it), so the browser never scrolls. The charts' axes are fixed (`fixedrange`), so Plotly's pan
moves nothing; the script scrolls the page by the finger's vertical movement instead, only when
Plotly cancelled the touch (otherwise the browser scrolls by itself), with a short glide when
the finger leaves while moving. Plotly still sees the finger move, so a swipe selects nothing.
"""

from __future__ import annotations

import streamlit as st

# Installed once per page (the flag), on the document and window, so it serves every chart the
# page redraws. The scrolling listeners are on the window, in the bubbling phase: they run after
# Plotly's own (on the plot and the document), when the event says whether Plotly cancelled it.
_TOUCH_SCRIPT = """
<script>
if (!window.frontlineChartTouch) {
  window.frontlineChartTouch = true;
  const GLIDE_MS = 300;
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

  const scrollBoxOf = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowY;
      if (/(auto|scroll|overlay)/.test(overflow) && box.scrollHeight > box.clientHeight) {
        return box;
      }
    }
    return document.scrollingElement;
  };
  let swipe = null;
  window.addEventListener("touchstart", (event) => {
    swipe = null;
    const target = event.target;
    if (!event.defaultPrevented || event.touches.length !== 1) return;
    if (!(target instanceof Element) || !target.closest(".stPlotlyChart")) return;
    const y = event.touches[0].clientY;
    swipe = {box: scrollBoxOf(target), y: y, time: event.timeStamp, speed: 0};
  }, {passive: true});
  window.addEventListener("touchmove", (event) => {
    if (!swipe) return;
    if (event.touches.length !== 1) { swipe = null; return; }
    const y = event.touches[0].clientY;
    swipe.box.scrollBy(0, swipe.y - y);
    swipe.speed = (swipe.y - y) / Math.max(event.timeStamp - swipe.time, 1);
    swipe.y = y;
    swipe.time = event.timeStamp;
  }, {passive: true});
  const endSwipe = (event) => {
    if (swipe && event.timeStamp - swipe.time < 100) {
      swipe.box.scrollBy({top: swipe.speed * GLIDE_MS, behavior: "smooth"});
    }
    swipe = null;
  };
  window.addEventListener("touchend", endSwipe, {passive: true});
  window.addEventListener("touchcancel", () => { swipe = null; }, {passive: true});
}
</script>
"""


def adapt_charts_to_touch() -> None:
    """Make one tap on the page's selectable Plotly charts select the tapped point, and a
    swipe over them scroll the page (their axes must be fixed: see the module's docstring)."""
    st.html(_TOUCH_SCRIPT, unsafe_allow_javascript=True, width="content")
