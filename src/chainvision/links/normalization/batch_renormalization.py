"""The batch renormalization link (Ioffe 2017, arXiv 1702.03275)."""

from chainvision.functions.normalization.batch_normalization import add_residual_relu
from chainvision.functions.normalization.batch_renormalization import batch_renormalization
from chainvision.links.normalization.batch_normalization import BatchNormalization


class BatchRenormalization(BatchNormalization):
    """:class:`BatchNormalization` whose training pass is
    :func:`~chainvision.functions.batch_renormalization`: the batch
    statistics are corrected towards the running ones by ``r`` (at most
    ``rmax``-fold) and ``d`` (at most ``dmax`` running standard deviations).
    Inference uses the running statistics, as batch normalization does.

    Args:
        size (int or None): channels (``None``: inferred).
        rmax (float): bound of the scale correction (1: none).
        dmax (float): bound of the shift correction (0: none).
        decay, eps, dtype, use_gamma, use_beta, initial_gamma, initial_beta,
        initial_avg_mean, initial_avg_var: as :class:`BatchNormalization`.

    With ``rmax=1`` and ``dmax=0`` it is batch normalization.  The paper
    raises them during training; set ``link.rmax``/``link.dmax`` to do so.

    Differences from Chainer 7.8.1, whose link passes ``initial_avg_mean``
    and ``initial_avg_var`` one position off to ``BatchNormalization`` (so
    ``avg_mean`` starts at ``initial_avg_var`` there) and whose backward gives
    ``nan`` for ``gamma``: here both initializers mean what they say and the
    gradients are finite.
    """

    def __init__(self, size, rmax=1, dmax=0, decay=0.9, eps=2e-5, dtype=None, use_gamma=True,
                 use_beta=True, initial_gamma=None, initial_beta=None, initial_avg_mean=None,
                 initial_avg_var=None):
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta, initial_gamma,
                         initial_beta, initial_avg_mean=initial_avg_mean,
                         initial_avg_var=initial_avg_var)
        self.rmax = rmax
        self.dmax = dmax

    def _normalize_batch(self, x, gamma, beta, decay, residual, relu):
        return add_residual_relu(
            batch_renormalization(x, gamma, beta, self.rmax, self.dmax, self.eps, self.avg_mean,
                                  self.avg_var, decay, update_statistics=True), residual, relu)
