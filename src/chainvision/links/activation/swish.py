"""The Swish activation link with a learned beta."""

from chainvision import initializers
from chainvision.backend import as_tensor
from chainvision.functions.activation.swish import swish
from chainvision.link import Link, Parameter, initialize_param, is_initialized


class Swish(Link):
    """``x * sigmoid(beta * x)`` with learned ``beta`` (Ramachandran et al.
    2017, arXiv 1710.05941).

    Args:
        beta_shape (tuple or None): shape of ``beta``, matched with the axes
            from 1 on of the input; ``None`` takes ``x.shape[1:]`` of the
            first input.
        beta_init: initial value or initializer (default 1.0).
    """

    def __init__(self, beta_shape, beta_init=1.0):
        super().__init__()
        with self.init_scope():
            if beta_shape is None:
                self.beta = Parameter(initializers.Constant(beta_init))
            else:
                self.beta = Parameter(beta_init, beta_shape)

    def forward(self, x):
        """Apply to ``x`` ``(N, ...)``; same shape out."""
        x = as_tensor(x)
        if not is_initialized(self.beta):
            initialize_param(self.beta, tuple(x.shape[1:]), device=x.device)
        return swish(x, self.beta)
