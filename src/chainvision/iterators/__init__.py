"""Chainer's dataset iterators: :class:`SerialIterator`,
:class:`MultiprocessIterator` and the order samplers."""

from chainvision.iterators.multiprocess_iterator import MultiprocessIterator  # noqa: F401
from chainvision.iterators.order_samplers import OrderSampler, ShuffleOrderSampler  # noqa: F401
from chainvision.iterators.serial_iterator import SerialIterator  # noqa: F401
