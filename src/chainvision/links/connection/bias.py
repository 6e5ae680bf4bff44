"""The bias link: add a learned (or given) array along some axes."""

from chainvision import functions
from chainvision.link import Link, Parameter


def own_param(link, name):
    """The link's parameter ``name``, or a clear error for a link built
    without one (which must be called with the array as second argument)."""
    if not hasattr(link, name):
        raise TypeError('{0} was built without a shape, so it has no {1}: call it as '
                        'link(x, {1}) or give the shape.'.format(type(link).__name__, name))
    return getattr(link, name)


class Bias(Link):
    """Add a bias along axes ``axis, axis + 1, ...`` of the input.

    Args:
        axis (int): first input axis the bias lines up with (default 1).
        shape (tuple or None): shape of the learned bias ``b`` (init 0).
            ``None``: no parameter; call the link as ``bias(x, b)``.

    ``Bias(1, (C,))(x)`` for ``x`` ``(N, C, H, W)`` adds ``b[c]`` to channel
    ``c``.
    """

    def __init__(self, axis=1, shape=None):
        super().__init__()
        self.axis = axis
        if shape is not None:
            with self.init_scope():
                self.b = Parameter(0, shape)

    def forward(self, *xs):
        """``x + b`` with the link's ``b``, or ``x + y`` for ``forward(x, y)``."""
        b = xs[1] if len(xs) == 2 else own_param(self, 'b')
        return functions.bias(xs[0], b, self.axis)
