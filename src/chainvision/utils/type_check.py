"""Chainer's ``chainer.utils.type_check``: the error for inputs of the wrong
kind.

Chainer checks every function's inputs (number, dimensions, shapes, dtypes)
before computing, and raises :class:`InvalidType` when they do not fit.
chainvision's functions check what PyTorch would otherwise report obscurely
(dimensions, matching channels and sizes) and raise the same class; it is a
``ValueError``, so code catching either works.  Chainer's expression language
for writing checks (``type_check.expect``, ``Variable``...) is not provided.
"""


class InvalidType(ValueError):
    """Inputs of the wrong number, shape or dtype.

    Args:
        expect (str): the condition the inputs had to meet (``'x.ndim == 4'``).
        actual (str): what they were (``'x.ndim = 3'``).
        msg (str or None): the message; default ``'Expect: ...\\nActual: ...'``.

    Attributes:
        expect, actual (str): as given.
    """

    def __init__(self, expect, actual, msg=None):
        super().__init__(msg or 'Expect: {}\nActual: {}'.format(expect, actual))
        self.expect = expect
        self.actual = actual

    def __reduce__(self):
        return type(self), (self.expect, self.actual, str(self))
