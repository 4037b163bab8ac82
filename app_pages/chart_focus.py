"""The focused month's band on the month charts, drawn by the page instead of by the figures.

Why: Streamlit names a chart element by a hash of its figure, so a figure that showed the focused
month was a new element on every month change: the Overview chart (about 140 KB with the
statements' hover text) was sent again and Plotly drew it from nothing, most of what a month
change cost in the browser (`benchmarks/browser.py`, same run: 2.73 times the bare page with the
band in the figure, 1.60 without). The figures leave the focus out, so a month change sends
Streamlit's short reference to the chart it already has and the browser keeps it; this script
draws the band, a rectangle over each row below the bars, at the month that a hidden marker
element names, and again whenever Plotly redraws a chart (a resize, a new range).

Charts get the band by being drawn inside `focus_band_chart(name)`; the marker comes from
`mark_focused_month(month)`, once per page run.
"""

from __future__ import annotations

import html

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib.charts import FOCUS_COLOUR
from lib.months import month_start, next_month

CONTAINER_KEY_PREFIX = "focus_band_"
MARKER_CLASS = "frontline-focus"
BAND_CLASS = "frontline-focus-band"

# Installed once per page (the flag). A mutation observer notices the marker changing and
# Plotly redrawing; the drawing runs at the next frame and touches the DOM only when the band's
# place changed, so its own changes settle at once. Plotly's axes give the pixels
# (`d2l`/`l2p` and each axis's `_offset`/`_length`, as its own shapes use); the band goes into
# the plot's `layer-below`, after the shapes there, so it lies under the bars.
_FOCUS_SCRIPT = """
<script>
if (!window.frontlineFocusBand) {
  window.frontlineFocusBand = true;
  const SVG = "http://www.w3.org/2000/svg";
  const yAxesOf = (layout) => Object.keys(layout)
    .filter((name) => /^yaxis[0-9]*$/.test(name) && layout[name] && layout[name]._length)
    .map((name) => layout[name]);
  const draw = () => {
    const markers = document.querySelectorAll(".__MARKER__");
    const marker = markers.length ? markers[markers.length - 1] : null;
    const charts = document.querySelectorAll('[class*="st-key-__PREFIX__"] .js-plotly-plot');
    for (const chart of charts) {
      const layout = chart._fullLayout;
      const below = chart.querySelector(".main-svg .layer-below");
      if (!layout || !layout.xaxis || !below) continue;
      let band = below.querySelector(":scope > g.__BAND__");
      if (!marker) { if (band) band.remove(); continue; }
      const xaxis = layout.xaxis;
      const left = xaxis._offset, right = xaxis._offset + xaxis._length;
      const at = (date) => Math.min(right, Math.max(left,
        xaxis._offset + xaxis.l2p(xaxis.d2l(date))));
      const x0 = at(marker.dataset.start), x1 = at(marker.dataset.end);
      const rows = yAxesOf(layout).map((yaxis) => [yaxis._offset, yaxis._length]);
      const place = [marker.dataset.month, x0, x1, ...rows.flat()].join(" ");
      if (band && band.getAttribute("data-place") === place) continue;
      if (!band) {
        band = document.createElementNS(SVG, "g");
        band.setAttribute("class", "__BAND__");
        below.appendChild(band);
      }
      band.replaceChildren(...rows.map(([top, height]) => {
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", x0);
        rect.setAttribute("width", Math.max(0, x1 - x0));
        rect.setAttribute("y", top);
        rect.setAttribute("height", height);
        rect.setAttribute("fill", "__COLOUR__");
        return rect;
      }));
      band.setAttribute("data-month", marker.dataset.month);
      band.setAttribute("data-place", place);
    }
  };
  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; draw(); });
  }).observe(document.body, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ["data-month"]});
  draw();
}
</script>
"""


def focus_band_chart(name: str) -> DeltaGenerator:
    """A container whose Plotly chart (a date x axis) gets the focused month's band."""
    return st.container(key=f"{CONTAINER_KEY_PREFIX}{name}")


def mark_focused_month(month: str | None) -> None:
    """Name the month whose band the page's focus-band charts show (None: no band)."""
    marker = ""
    if month is not None:
        start, end = month_start(month), month_start(next_month(month))
        marker = (
            f'<span class="{MARKER_CLASS}" hidden data-month="{html.escape(month)}" '
            f'data-start="{start:%Y-%m-%d}" data-end="{end:%Y-%m-%d}"></span>'
        )
    script = (
        _FOCUS_SCRIPT.replace("__MARKER__", MARKER_CLASS)
        .replace("__PREFIX__", CONTAINER_KEY_PREFIX)
        .replace("__BAND__", BAND_CLASS)
        .replace("__COLOUR__", FOCUS_COLOUR)
    )
    st.html(marker + script, unsafe_allow_javascript=True, width="content")
