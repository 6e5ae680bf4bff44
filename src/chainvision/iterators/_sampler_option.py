"""Resolving the ``shuffle``/``order_sampler`` arguments the way Chainer does."""

from chainvision.iterators.order_samplers import ShuffleOrderSampler


def resolve_order_sampler(shuffle, order_sampler):
    """``shuffle=None`` and no sampler: shuffle; ``shuffle=True``: a
    :class:`ShuffleOrderSampler`; ``shuffle=False``: dataset order
    (``None``); a custom ``order_sampler`` needs ``shuffle=None``."""
    if shuffle is not None and order_sampler is not None:
        raise ValueError('shuffle is not None and a custom order_sampler is set; set '
                         'shuffle=None to use the custom order sampler')
    if order_sampler is not None:
        return order_sampler
    return ShuffleOrderSampler() if shuffle is None or shuffle else None
