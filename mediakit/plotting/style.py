"""One palette, one print style, and figures saved at journal widths.

Every plot function and every notebook takes its colours from :func:`palette`, so a
group keeps its colour everywhere: left, center and right always get the same three
colours when a column holds political leans. The colours are the Okabe–Ito palette
(Okabe & Ito 2008, "Color Universal Design"), distinguishable with the common forms
of colour blindness and in greyscale print by lightness; leans use its blue and
vermillion with a neutral grey for center.

:func:`style` is a matplotlib style for print (sizes in points as journals ask, no
top/right spines, embedded TrueType fonts in PDF and text kept as text in SVG), and
:func:`save_figure` writes a figure at a single-column (3.5 in) or double-column (7 in)
width as vector graphics.
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mediakit.plotting._alt import alt_text, figure_html, figure_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "GROUP_COLORS",
    "LEAN_COLORS",
    "WIDTHS",
    "palette",
    "save_figure",
    "setup_notebook",
    "style",
]

#: Okabe–Ito colours, in the order groups receive them (black left out: it is the text colour).
GROUP_COLORS = (
    "#0072b2",  # blue
    "#e69f00",  # orange
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#56b4e9",  # sky blue
    "#d55e00",  # vermillion
    "#f0e442",  # yellow
    "#7f7f7f",  # grey
)

#: Fixed colours of AllSides' lean ratings (and any column holding left/center/right).
LEAN_COLORS = {"left": "#0072b2", "center": "#7f7f7f", "right": "#d55e00"}

#: Colour of a reference group or of a single series without groups.
NEUTRAL = "#7f7f7f"
ACCENT = "#0072b2"

#: Background of a selected period (the explorer's timeline and its figure).
HIGHLIGHT = "#fde9a9"

#: Journal figure widths in inches.
WIDTHS = {"single": 3.5, "double": 7.0}

#: The ``mediakit`` style: matplotlib rc parameters for print.
STYLE: dict[str, Any] = {
    "font.size": 8.0,
    "axes.titlesize": 9.0,
    "axes.labelsize": 8.0,
    "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0,
    "legend.fontsize": 7.0,
    "legend.title_fontsize": 7.5,
    "figure.titlesize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.2,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "legend.frameon": False,
    "figure.dpi": 150,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    "pdf.fonttype": 42,  # TrueType, embedded: text stays editable and searchable
    "ps.fonttype": 42,
    "svg.fonttype": "none",  # text as text, in the fonts named
}


def palette(levels: Iterable[Hashable]) -> dict[Hashable, Any]:
    """One colour per level, the same in every plot.

    Levels named left / center / right (AllSides' lean ratings, in any order, a subset
    or with a "(missing)" group) get the fixed lean colours; other levels get the
    Okabe–Ito colours in order, repeating after eight (plots with more groups label
    each group directly rather than by colour alone).

    Examples
    --------
    >>> palette(["right", "left"])
    {'right': '#d55e00', 'left': '#0072b2'}
    >>> palette(["Russia", "North Korea"])
    {'Russia': '#0072b2', 'North Korea': '#e69f00'}
    """
    levels = list(dict.fromkeys(levels))
    named = [level for level in levels if str(level) in LEAN_COLORS]
    if named and len(named) >= len(levels) - 1:  # leans, perhaps with a "(missing)" group
        return {level: LEAN_COLORS.get(str(level), "#bbbbbb") for level in levels}
    return {level: GROUP_COLORS[i % len(GROUP_COLORS)] for i, level in enumerate(levels)}


@contextlib.contextmanager
def style(width: Literal["single", "double"] | float | None = None) -> Iterator[None]:
    """Draw in the ``mediakit`` print style (a context manager).

    Parameters
    ----------
    width : {"single", "double"} or float, optional
        Make new figures this wide (3.5 or 7 inches, or a width in inches), with a
        height of 0.62 times the width.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with style("single"):
    ...     fig, ax = plt.subplots()
    >>> fig.get_size_inches().tolist()
    [3.5, 2.17]
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    params = dict(STYLE)
    if width is not None:
        inches = _width(width)
        params["figure.figsize"] = (inches, round(0.62 * inches, 2))
    with mpl.rc_context(params):  # type: ignore[arg-type]
        yield


def _width(width: Literal["single", "double"] | float) -> float:
    if isinstance(width, str):
        if width not in WIDTHS:
            raise ValueError(
                f"The 'width' parameter must be 'single' (3.5 in), 'double' (7 in) or a "
                f"number of inches. Got {width!r} instead."
            )
        return WIDTHS[width]
    if isinstance(width, bool) or not isinstance(width, int | float) or width <= 0:
        raise ValueError(
            f"The 'width' parameter must be 'single', 'double' or a positive number of "
            f"inches. Got {width!r} instead."
        )
    return float(width)


def save_figure(
    fig: Figure,
    path: str | Path,
    *,
    width: Literal["single", "double"] | float = "double",
    height: float | None = None,
) -> Path:
    """Save ``fig`` at a journal width as vector graphics with embedded fonts.

    The figure is resized to ``width`` (its height scaled in proportion unless
    ``height`` is given), its fonts set to the ``mediakit`` style's point sizes so
    that text prints at 7–10 pt whatever the screen size was, and written in the
    format of the file's suffix: PDF (TrueType fonts embedded), SVG (text kept as
    text), EPS, or PNG at 300 dpi. The figure's alt text, when set by a plot function,
    is written into the PDF's metadata as its subject.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, e.g. ``ax.figure`` after a ``plot_*`` call.
    path : str or Path
        Output file; its suffix picks the format (.pdf, .svg, .eps, .png).
    width : {"single", "double"} or float, default "double"
        Single column (3.5 in), double column (7 in), or a width in inches.
    height : float, optional
        Height in inches; by default the figure's aspect ratio is kept.

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3])
    >>> out = save_figure(fig, Path(tempfile.mkdtemp()) / "figure.pdf", width="single")
    >>> out.read_bytes()[:4], float(fig.get_size_inches()[0])
    (b'%PDF', 3.5)
    >>> plt.close(fig)
    """
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("pdf", "svg", "eps", "png"):
        raise ValueError(
            f"The 'path' parameter must end in .pdf, .svg, .eps or .png (vector formats "
            f"first). Got {str(path)!r}."
        )
    inches = _width(width)
    old_width, old_height = fig.get_size_inches()
    new_height = height if height is not None else old_height * inches / old_width
    fig.set_size_inches(inches, new_height)
    _restyle_fonts(fig)
    metadata: dict[str, Any] = {}
    if suffix == "pdf":
        metadata = {"Subject": alt_text(fig), "Creator": "mediakit"}
    import matplotlib as mpl

    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        fig.savefig(path, format=suffix, metadata=metadata or None)
    return path


def _restyle_fonts(fig: Figure) -> None:
    """Set the text of ``fig`` to the style's point sizes (ticks smaller than labels)."""
    for ax in fig.axes:
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            label.set_fontsize(STYLE["xtick.labelsize"])
        ax.xaxis.label.set_fontsize(STYLE["axes.labelsize"])
        ax.yaxis.label.set_fontsize(STYLE["axes.labelsize"])
        ax.title.set_fontsize(STYLE["axes.titlesize"])
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(STYLE["legend.fontsize"])
    for legend in fig.legends:
        for text in legend.get_texts():
            text.set_fontsize(STYLE["legend.fontsize"])
    title = _suptitle(fig)
    if title is not None:
        title.set_fontsize(STYLE["figure.titlesize"])


def _suptitle(fig: Figure) -> Any:
    return getattr(fig, "_suptitle", None)


def setup_notebook(*, style: bool = True) -> None:
    """Make every figure this notebook shows carry its alt text (and the mediakit style).

    Registers display formatters with the running IPython kernel: figures are shown as
    an ``<img>`` with the ``alt`` attribute from :func:`alt_text` (what HTML exports and
    screen readers use), and their PNG carries the same text in its ``alt`` metadata.
    Outside IPython this does nothing but set the style.

    Parameters
    ----------
    style : bool, default True
        Also apply the ``mediakit`` print style (:data:`STYLE`)
        to the figures drawn from now on.
    """
    import matplotlib as mpl

    shell = None
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        pass
    if shell is not None:
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        # Load the notebook backend now: loading it resets the formatters of Figure
        # (and may set rc parameters), which would undo what follows at the first plot.
        plt.switch_backend(mpl.get_backend())
        formatters = shell.display_formatter.formatters
        formatters["text/html"].for_type(Figure, figure_html)
        formatters["image/png"].for_type(Figure, figure_png)
    if style:
        screen = {k: v for k, v in STYLE.items() if not k.startswith(("savefig", "figure.dpi"))}
        mpl.rcParams.update(screen)  # type: ignore[arg-type]
