"""The fully-connected (linear) link."""

import math

from chainvision import functions, initializers
from chainvision.backend import as_tensor
from chainvision.link import Link, Parameter, initialize_param, is_initialized
from chainvision.variable import as_array


class Linear(Link):
    """Fully-connected layer ``y = x W^T + b`` with ``W`` ``(out_size, in_size)``
    and ``b`` ``(out_size,)``.

    Args:
        in_size (int or None): input size; ``None`` infers it from the first
            input.  ``Linear(out_size)`` alone also means ``in_size=None``.
        out_size (int): output size.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (default LeCunNormal).
        initial_bias: initializer of ``b`` (default 0).

    Input ``(N, d_1, ..., d_m)``: all axes after the batch axis are flattened
    (``in_size = d_1 * ... * d_m``), so ``Linear(None, 84)`` after a
    ``(N, 120, 1, 1)`` map works.  Output ``(N, out_size)``.
    """

    def __init__(self, in_size, out_size=None, nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.out_size = out_size
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                initialize_param(self.W, (out_size, in_size))
            if nobias:
                self.b = None
            else:
                self.b = Parameter(0 if initial_bias is None else initial_bias, out_size)

    @classmethod
    def from_params(cls, W, b=None, nobias=False):
        """A layer whose parameters start as copies of ``W`` ``(out_size,
        in_size)`` and ``b`` ``(out_size,)`` (arrays or tensors; without ``b``
        the bias is 0, and with ``nobias`` there is none).

        Raises:
            ValueError: when ``b`` does not have ``out_size`` elements.
        """
        out_size, in_size = W.shape
        if b is not None and math.prod(b.shape) != out_size:
            raise ValueError('`out_size` does not match the size of `b`')
        return cls(in_size, out_size, nobias, initialW=as_array(W), initial_bias=as_array(b))

    def forward(self, x, n_batch_axes=1):
        """Apply the layer to ``x``; ``n_batch_axes`` leading axes are kept."""
        if not is_initialized(self.W):
            x = as_tensor(x)
            in_size = math.prod(x.shape[n_batch_axes:])  # also for an empty batch
            initialize_param(self.W, (self.out_size, in_size), device=x.device)
        return functions.linear(x, self.W, self.b, n_batch_axes=n_batch_axes)

    def extra_repr(self):
        in_size = self.W.shape[1] if is_initialized(self.W) else None
        return 'in_size={}, out_size={}'.format(in_size, self.out_size)
