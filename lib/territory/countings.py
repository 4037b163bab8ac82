"""How a user may count a source's monthly figures, and which of those the bundled tables carry.

- `assessed` (default): the source's layer recipe, ground in Ukraine only (ISW: assessed control
  ∪ assessed advances; DeepStateMap: occupied).
- `kursk` (ISW): the Kursk salient's change counted too, as ISW's own monthly counts do
  (`kursk.py`; bundled as `monthly_isw_kursk.csv`).
- `claimed` (ISW): ISW's claimed-Russian-control layer added to the recipe, as AFP's monthly
  totals count it (`recipes.recipe_for(counting="claimed")`). Only where the files carry that
  layer: a folder on the command line (`--counting claimed`), never the bundled table, for the
  reason CLAIMED_NOT_BUNDLED gives.
"""

from __future__ import annotations

ASSESSED = "assessed"
KURSK = "kursk"
CLAIMED = "claimed"
COUNTINGS = (ASSESSED, KURSK, CLAIMED)
DEFAULT_COUNTING = ASSESSED

# How a counting reads inside a sentence ("ISW, with Kursk oblast") and as a choice.
PHRASES = {
    ASSESSED: "ground in Ukraine only",
    KURSK: "with Kursk oblast",
    CLAIMED: "with ISW's claimed layer",
}
LABELS = {
    ASSESSED: "Ground in Ukraine only (default)",
    KURSK: "With Kursk oblast (as ISW counts)",
    CLAIMED: "With ISW's claimed layer (as AFP counts)",
}
# The bundled tables of each source, by counting.
BUNDLED_COUNTINGS: dict[str, tuple[str, ...]] = {
    "isw": (ASSESSED, KURSK),
    "deepstate": (ASSESSED,),
}
CLAIMED_NOT_BUNDLED = (
    "the bundled ISW figures come from Le Monde's weekly mirror of ISW's maps, which has no "
    "claimed layer, and the archives that have it hold control and claimed ground together on "
    "too few dates for any calendar month to have a snapshot at both ends (ISW's own exports: "
    "6 dates, 2024-09-12 … 2026-04-27; the 2022 daily files: 2022-05-01, 09-01, 09-05 … 09-12 "
    "and 11-30; the 2023 dumps: 2 dates). Count it on such files with "
    "`python -m lib.territory monthly FOLDER --counting claimed`"
)
KURSK_ISW_ONLY = (
    "only ISW maps the Ukrainian salient in Kursk oblast; DeepStateMap's bundled figures count "
    "ground in Ukraine only"
)


def bundled_countings(source: str) -> tuple[str, ...]:
    """The countings with a bundled table for `source` (just the default for an unknown one)."""
    return BUNDLED_COUNTINGS.get(source, (ASSESSED,))


def not_bundled_reason(source: str, counting: str) -> str | None:
    """Why `source` has no bundled table counted as `counting`, or None when it has one."""
    if counting in bundled_countings(source):
        return None
    if counting == CLAIMED:
        return CLAIMED_NOT_BUNDLED if source == "isw" else "only ISW's maps have a claimed layer"
    if counting == KURSK:
        return KURSK_ISW_ONLY
    return f"{counting!r} is not a counting (one of {', '.join(COUNTINGS)})"


def check_bundled(source: str, counting: str) -> None:
    """ValueError with the reason when `source` has no bundled table counted as `counting`."""
    reason = not_bundled_reason(source, counting)
    if reason is not None:
        raise ValueError(f"no bundled {source} figures counted as {counting!r}: {reason}")
