"""The coefficient of determination."""

import torch

from chainvision.backend import as_tensors


def r2_score(pred, true, sample_weight=None, multioutput='uniform_average'):
    """``1 - SS_res / SS_tot`` per output column (0 where ``true`` is
    constant), as scikit-learn's ``r2_score``.

    Args:
        pred, true: arrays of shape ``(N,)`` or ``(N, M)``.
        sample_weight: must be ``None`` (as in Chainer).
        multioutput (str): ``'uniform_average'`` (default: the mean over the
            columns, a scalar) or ``'raw_values'`` (shape ``(M,)``).

    Returns:
        torch.Tensor in ``pred``'s dtype; not differentiable.

    Raises:
        NotImplementedError: for a ``sample_weight``.
        ValueError: for another ``multioutput``.
    """
    if sample_weight is not None:
        raise NotImplementedError('r2_score: sample_weight is not supported (as in Chainer).')
    if multioutput not in ('uniform_average', 'raw_values'):
        raise ValueError('invalid multioutput argument {!r}'.format(multioutput))
    pred, true = as_tensors(pred, true)
    with torch.no_grad():
        ss_res = ((pred - true) ** 2).sum(dim=0)
        ss_tot = ((true - true.mean(dim=0)) ** 2).sum(dim=0)
        score = torch.where(ss_tot == 0, torch.zeros_like(ss_res), 1 - ss_res / ss_tot)
        score = score.to(pred.dtype)
    return score.mean() if multioutput == 'uniform_average' else score
