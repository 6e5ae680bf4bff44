"""What GroupNormalization and LayerNormalization share: ``gamma`` and
``beta`` of shape ``(size,)``, given their size by the first input's axis 1."""

from chainvision import initializers
from chainvision.backend import as_tensor
from chainvision.link import Link, Parameter, initialize_param, is_initialized


class AffineNormalizationBase(Link):
    """Base of normalizations with a per-channel scale ``gamma`` (default 1)
    and shift ``beta`` (default 0) and no running statistics.

    Subclasses check the input in :meth:`_check_input` and normalize in
    ``forward`` after calling :meth:`_prepare`.
    """

    def __init__(self, size, eps, initial_gamma, initial_beta):
        super().__init__()
        self.eps = eps
        with self.init_scope():
            self.gamma = Parameter(initializers._get_initializer(
                1 if initial_gamma is None else initial_gamma))
            self.beta = Parameter(initializers._get_initializer(
                0 if initial_beta is None else initial_beta))
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size, device=None):
        initialize_param(self.gamma, (size,), device=device)
        initialize_param(self.beta, (size,), device=device)

    def _check_input(self, x):
        raise NotImplementedError

    def _prepare(self, x):
        """Return ``x`` as a checked tensor, first sizing the parameters."""
        x = as_tensor(x, self.gamma if is_initialized(self.gamma) else None)
        self._check_input(x)
        if not is_initialized(self.gamma):
            self._initialize_params(x.shape[1], device=x.device)
        return x
