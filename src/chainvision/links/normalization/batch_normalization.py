"""The batch normalization link."""

import numpy
import torch

from chainvision import functions, initializers
from chainvision.backend import as_tensor, torch_dtype
from chainvision.configuration import get_dtype, is_train
from chainvision.link import Link, Parameter, initialize_param
from chainvision.utils import argument


class BatchNormalization(Link):
    """Batch normalization (Ioffe & Szegedy 2015) with Chainer v7's defaults.

    Parameters ``gamma`` (init 1) and ``beta`` (init 0) of shape ``(size,)``;
    persistent ``avg_mean`` (init 0), ``avg_var`` (init 1) and ``N`` (the
    number of fine-tuning batches seen).

    Args:
        size (int or None): channels; ``None`` infers them from the first input.
        decay (float): decay of the running averages (default 0.9, i.e.
            PyTorch momentum 0.1); the running variance uses the unbiased
            batch variance, as in Chainer and PyTorch.
        eps (float): added to the variance (default ``2e-5``; PyTorch's
            default is ``1e-5``).
        dtype: parameter dtype (default ``config.dtype``); for ``mixed16``
            the parameters and statistics are float32 (as Chainer's).
        use_gamma, use_beta (bool): learn a scale / a shift.
        initial_gamma, initial_beta, initial_avg_mean, initial_avg_var:
            initializers (scalars, arrays or initializer objects).
        axis: axes to normalize over (default: all but axis 1).

    Training behaviour (batch statistics, running averages updated) applies
    when ``config.train`` is True *and* the link is in training mode;
    otherwise the running averages normalize (``module.eval()`` or
    ``using_config('train', False)``).  ``forward(x, finetune=True)`` in
    training accumulates a cumulative average (decay ``1 - 1/N``).

    ``forward(x, residual=r, relu=True)`` returns ``relu(BN(x) + r)``, the
    end of a residual block, in one pass where
    :func:`~chainvision.functions.batch_normalization` fuses it (CPU,
    channels-last).
    """

    def __init__(self, size=None, decay=0.9, eps=2e-5, dtype=None, use_gamma=True,
                 use_beta=True, initial_gamma=None, initial_beta=None, axis=None,
                 initial_avg_mean=None, initial_avg_var=None):
        super().__init__()
        self.decay = decay
        self.eps = eps
        self.axis = axis
        self._dtype = dtype
        self._initial_avg_mean = initializers._get_initializer(
            0 if initial_avg_mean is None else initial_avg_mean)
        self._initial_avg_var = initializers._get_initializer(
            1 if initial_avg_var is None else initial_avg_var)
        with self.init_scope():
            self.gamma = Parameter(initializers._get_initializer(
                1 if initial_gamma is None else initial_gamma)) if use_gamma else None
            self.beta = Parameter(initializers._get_initializer(
                0 if initial_beta is None else initial_beta)) if use_beta else None
        self.register_buffer('avg_mean', None)
        self.register_buffer('avg_var', None)
        self.add_persistent('N', 0)
        if size is not None:
            self._initialize_params(size if isinstance(size, tuple) else (size,))

    def _initialize_params(self, shape, device=None):
        # As Chainer's, under mixed16 the parameters and statistics are float32.
        dtype = torch_dtype(get_dtype(self._dtype, map_mixed16=numpy.float32))
        for param in (self.gamma, self.beta):
            if param is not None:
                initialize_param(param, shape, dtype=dtype, device=device)
        self.avg_mean = initializers.generate_array(self._initial_avg_mean, shape, dtype, device)
        self.avg_var = initializers.generate_array(self._initial_avg_var, shape, dtype, device)

    def _param_shape(self, x):
        if self.axis is None:
            return (x.shape[1],)
        axis = (self.axis,) if isinstance(self.axis, int) else tuple(self.axis)
        return tuple(x.shape[i] for i in range(x.ndim) if i not in axis)

    def forward(self, x, **kwargs):
        """forward(x, *, finetune=False, residual=None, relu=False)

        Normalize ``x`` ``(N, C, ...)``; returns the same shape.  With
        ``finetune`` (training only) the running statistics become the
        cumulative average of all batches since :meth:`start_finetuning`.
        ``residual`` (the output's shape) is added to the result and
        ``relu`` applies ReLU last (chainvision's extensions).

        Raises:
            ValueError: for Chainer v1's ``test=`` argument (use
                ``using_config('train', False)``).
            TypeError: for any other argument.
        """
        finetune, residual, relu = argument.parse_kwargs(
            kwargs, ('finetune', False), ('residual', None), ('relu', False),
            test='test argument is not supported anymore. Use '
                 "chainer.using_config('train', False)")
        x = as_tensor(x, self.avg_mean)
        if self.avg_mean is None:
            self._initialize_params(self._param_shape(x), device=x.device)
        gamma = self.gamma if self.gamma is not None else torch.ones_like(self.avg_mean)
        beta = self.beta if self.beta is not None else torch.zeros_like(self.avg_mean)
        if not is_train(self):
            return functions.fixed_batch_normalization(
                x, gamma, beta, self.avg_mean, self.avg_var, self.eps, axis=self.axis,
                residual=residual, relu=relu)
        decay = self.decay
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        return self._normalize_batch(x, gamma, beta, decay, residual, relu)

    def _normalize_batch(self, x, gamma, beta, decay, residual, relu):
        """Training: normalize with the batch statistics, update the running
        ones; then add ``residual`` and apply ReLU if asked."""
        return functions.batch_normalization(
            x, gamma, beta, self.eps, self.avg_mean, self.avg_var, decay, axis=self.axis,
            residual=residual, relu=relu)

    def start_finetuning(self):
        """Reset ``N`` so that fine-tuning starts a new cumulative average."""
        self.N = 0

    def extra_repr(self):
        size = None if self.avg_mean is None else tuple(self.avg_mean.shape)
        return 'size={}, decay={}, eps={}'.format(size, self.decay, self.eps)
