"""The highway layer (Srivastava et al. 2015, arXiv 1505.00387)."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.activation.relu import relu
from chainvision.link import Chain
from chainvision.links.connection.linear import Linear


class Highway(Chain):
    """``y = h * t + x * (1 - t)`` with ``h = activate(plain(x))`` and the
    gate ``t = sigmoid(transform(x))``; ``plain`` and ``transform`` are
    ``Linear(in_out_size, in_out_size)``.

    Args:
        in_out_size (int): input and output size.
        nobias (bool): no biases.
        activate (callable): the activation of ``h`` (default ReLU).
        init_Wh, init_bh: initializers of ``plain``.
        init_Wt, init_bt: initializers of ``transform``; the bias defaults to
            -1, so the layer starts close to the identity.
    """

    def __init__(self, in_out_size, nobias=False, activate=relu, init_Wh=None, init_Wt=None,
                 init_bh=None, init_bt=-1):
        super().__init__()
        self.activate = activate
        with self.init_scope():
            self.plain = Linear(in_out_size, in_out_size, nobias=nobias, initialW=init_Wh,
                                initial_bias=init_bh)
            self.transform = Linear(in_out_size, in_out_size, nobias=nobias, initialW=init_Wt,
                                    initial_bias=init_bt)

    def forward(self, x):
        """Apply to ``x`` ``(N, in_out_size)``."""
        x = as_tensor(x, self.plain.W)
        gate = torch.sigmoid(self.transform(x))
        return self.activate(self.plain(x)) * gate + x * (1 - gate)
