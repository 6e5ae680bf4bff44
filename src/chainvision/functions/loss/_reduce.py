"""The ``reduce=`` argument of Chainer's losses."""


def check_reduce(name, reduce, allowed):
    """Raise ``ValueError`` unless ``reduce`` is one of ``allowed``."""
    if reduce not in allowed:
        raise ValueError('{}: reduce must be one of {}, got {!r}.'.format(
            name, ', '.join(repr(a) for a in allowed), reduce))


def sum_mean_or_no(name, loss, reduce):
    """``loss`` summed (``'sum'``), averaged (``'mean'``) or as it is
    (``'no'``)."""
    check_reduce(name, reduce, ('sum', 'mean', 'no'))
    if reduce == 'sum':
        return loss.sum()
    return loss.mean() if reduce == 'mean' else loss
