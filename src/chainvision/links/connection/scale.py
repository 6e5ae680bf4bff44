"""The scale link: multiply by a learned (or given) array along some axes,
optionally adding a bias (Caffe's ``Scale`` layer)."""

from chainvision import functions
from chainvision.link import Chain, Parameter
from chainvision.links.connection.bias import Bias, own_param


class Scale(Chain):
    """Multiply by ``W`` along axes ``axis, axis + 1, ...`` of the input.

    Args:
        axis (int): first input axis ``W`` lines up with (default 1).
        W_shape (tuple or None): shape of the learned ``W`` (init 1).
            ``None``: no parameter; call the link as ``scale(x, y)``.
        bias_term (bool): also add a learned bias (a child :class:`Bias`
            link named ``bias``, init 0).
        bias_shape (tuple or None): the bias shape when ``W_shape`` is None
            (otherwise the bias has ``W_shape``).

    Raises:
        ValueError: for ``bias_term`` without any shape for the bias.
    """

    def __init__(self, axis=1, W_shape=None, bias_term=False, bias_shape=None):
        super().__init__()
        self.axis = axis
        if bias_term and W_shape is None and bias_shape is None:
            raise ValueError('Scale(bias_term=True) needs W_shape or bias_shape to size the bias.')
        with self.init_scope():
            if W_shape is not None:
                self.W = Parameter(1, W_shape)
            if bias_term:
                self.bias = Bias(axis, W_shape if W_shape is not None else bias_shape)

    def forward(self, *xs):
        """``x * W (+ b)``, or ``x * y (+ b)`` for ``forward(x, y)``."""
        w = xs[1] if len(xs) == 2 else own_param(self, 'W')
        z = functions.scale(xs[0], w, self.axis)
        return self.bias(z) if hasattr(self, 'bias') else z
