"""The one matplotlib helper: line plots and figures written as PNG files.

``PlotReport`` (a trainer extension) and the run folder's curves
(``loss.png``, ``accuracy.png``, ``lr.png``) draw with :func:`plot_lines`;
every other picture (confusion matrix, recipe comparison) takes
:func:`pyplot` and saves with :func:`save_figure`.  matplotlib is optional:
without it :func:`pyplot` returns ``None`` and nothing is drawn.
"""

import io
from typing import Callable, Mapping, Optional, Sequence, Tuple

from chainvision.utils.atomic import atomic_write

Points = Sequence[Tuple[float, float]]


def pyplot():
    """``matplotlib.pyplot`` with the file-only Agg backend, or ``None``
    when matplotlib is not installed (pictures are then skipped)."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    return plt


def save_figure(figure, path: str) -> None:
    """Write a matplotlib figure to ``path`` as a PNG (atomically: a crash
    never leaves a torn file) and close it."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100, bbox_inches='tight')
    pyplot().close(figure)
    with atomic_write(path) as f:
        f.write(buffer.getvalue())


def plot_lines(series: Mapping[str, Points], path: str, xlabel: str, marker: str = '.',
               grid: bool = True, postprocess: Optional[Callable] = None) -> bool:
    """Draw one line per key of ``series`` and save the picture.

    Args:
        series: label -> ``[(x, y), ...]``; labels without points are left
            out of the picture (and out of the legend).
        path: the PNG file to write.
        xlabel: the x axis' label (``'epoch'``, ``'iteration'``).
        marker: the matplotlib marker of the points.
        grid: draw a light grid.
        postprocess: ``postprocess(figure, axes, series)`` just before
            saving (Chainer's ``PlotReport`` hook).

    Returns:
        bool: whether a picture was written (``False`` without matplotlib).
    """
    plt = pyplot()
    if plt is None:
        return False
    figure, axes = plt.subplots(figsize=(6, 4))
    for label, points in series.items():
        if points:
            axes.plot(*zip(*points), marker=marker, label=label)
    if axes.has_data():
        axes.legend(loc='best')
    axes.set_xlabel(xlabel)
    if grid:
        axes.grid(alpha=0.3)
    if postprocess is not None:
        postprocess(figure, axes, series)
    save_figure(figure, path)
    return True
