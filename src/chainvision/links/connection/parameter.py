"""A link that holds one parameter."""

from chainvision.link import Link
from chainvision.link import Parameter as make_parameter


class Parameter(Link):
    """A link whose only parameter ``W`` is a copy of ``array`` and whose
    call returns it (Chainer's ``L.Parameter``), so a learned array can sit
    in a chain like a layer.

    Args:
        array: the initial value (NumPy array or tensor; shape and dtype kept).
    """

    def __init__(self, array):
        super().__init__()
        with self.init_scope():
            self.W = make_parameter(array)

    def forward(self):
        """``W``, as a view connected to the parameter."""
        return self.W.view_as(self.W)
