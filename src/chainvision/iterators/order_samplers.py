"""Order samplers: the order in which an iterator visits a dataset each epoch."""

import numpy


class OrderSampler:
    """Base of order samplers: ``sampler(current_order, current_position)``
    returns the next epoch's order (an int array of the same length)."""

    def __call__(self, current_order, current_position):
        raise NotImplementedError


class ShuffleOrderSampler(OrderSampler):
    """A new random permutation every epoch.

    Args:
        random_state (numpy.random.RandomState or None): the generator.  When
            ``None`` a private one is seeded from NumPy's global generator,
            so ``numpy.random.seed(s)`` before building the iterator still
            fixes the orders.  Deliberately unlike Chainer (which draws from
            the global generator directly): a private generator can be saved
            with the iterator, so a resumed run draws the same later orders.
    """

    def __init__(self, random_state=None):
        if random_state is None:
            random_state = numpy.random.RandomState(numpy.random.randint(2 ** 31))
        self._random = random_state

    def __call__(self, current_order, current_position):
        return self._random.permutation(len(current_order))

    def get_state(self):
        """The generator's state (to be restored by :meth:`set_state`)."""
        return self._random.get_state()

    def set_state(self, state):
        """Restore a state from :meth:`get_state`."""
        self._random.set_state(state)

    def serialize(self, serializer):
        """Save or restore the generator's state (Mersenne-Twister keys and
        position) through a Chainer-style serializer."""
        _, keys, pos, has_gauss, gauss = self._random.get_state()
        keys = numpy.asarray(serializer('keys', keys), dtype=numpy.uint32)
        pos = int(serializer('pos', pos))
        has_gauss = int(serializer('has_gauss', has_gauss))
        gauss = float(serializer('cached_gaussian', gauss))
        self._random.set_state(('MT19937', keys, pos, has_gauss, gauss))
