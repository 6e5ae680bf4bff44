"""What Chainer code sees of ChainerX when ChainerX is not built.

Chainer's examples start with ``import chainerx`` and then branch on
``device.xp is chainerx`` or ``chainerx.is_available()``.  Rewrite that import
to ``from chainvision import chainerx``: this module answers those questions
as a Chainer 7.8.1 installed without ChainerX does (the ``pip install chainer``
default), so every such branch takes its NumPy/CuPy path.  chainvision never
installs a top-level ``chainerx`` package, which would shadow the real one.
"""


def is_available():
    """Return ``False``: the ChainerX backend is never available here
    (chainvision's arrays are ``torch.Tensor`` on every device)."""
    return False


class ndarray:
    """Placeholder type so that ``isinstance(x, chainerx.ndarray)`` is
    ``False`` for every array; creating one raises ``RuntimeError``, as in
    Chainer without ChainerX."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError('chainerx is not available.')
