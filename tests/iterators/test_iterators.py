"""SerialIterator and MultiprocessIterator: Chainer's epoch semantics
(reference values printed by Chainer 7.8.1) and exact resume."""

import numpy
import pytest

from chainvision.iterators import MultiprocessIterator, SerialIterator, ShuffleOrderSampler


def test_serial_iterator_epochs_wrap_as_chainer():
    it = SerialIterator(list(range(10)), 4, shuffle=False)
    seen = []
    for _ in range(4):
        batch = it.next()
        seen.append((batch, it.epoch, it.is_new_epoch, it.epoch_detail, it.previous_epoch_detail))
    assert seen == [([0, 1, 2, 3], 0, False, 0.4, 0.0),
                    ([4, 5, 6, 7], 0, False, 0.8, 0.4),
                    ([8, 9, 0, 1], 1, True, 1.2, 0.8),
                    ([2, 3, 4, 5], 1, False, 1.6, 1.2)]


def test_serial_iterator_without_repeat_ends_with_the_remainder():
    it = SerialIterator(list(range(10)), 4, repeat=False, shuffle=False)
    assert it.previous_epoch_detail is None
    assert list(it) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    it.reset()
    assert it.next() == [0, 1, 2, 3] and it.epoch == 0


def test_shuffled_epochs_are_permutations():
    it = SerialIterator(list(range(10)), 5)
    for _ in range(3):
        assert sorted(it.next() + it.next()) == list(range(10))
        assert it.is_new_epoch


def test_shuffle_and_order_sampler_cannot_both_be_given():
    with pytest.raises(ValueError, match='order_sampler'):
        SerialIterator([1, 2], 1, shuffle=True, order_sampler=ShuffleOrderSampler())


def _batches(it, n):
    return [list(it.next()) for _ in range(n)]


@pytest.mark.parametrize('stop_after', [1, 3, 7])
def test_serial_iterator_resumes_with_the_same_batches(save_and_restore, stop_after):
    data = list(range(23))
    it = SerialIterator(data, 5, order_sampler=ShuffleOrderSampler(numpy.random.RandomState(1)))
    _batches(it, stop_after)
    resumed = SerialIterator(data, 5,
                             order_sampler=ShuffleOrderSampler(numpy.random.RandomState(99)))
    state = save_and_restore(it, resumed)
    assert state['epoch'] == it.epoch and 'order_sampler/keys' in state
    assert resumed.epoch_detail == it.epoch_detail
    assert resumed.previous_epoch_detail == it.previous_epoch_detail
    # The next batches cross two epoch ends: later orders match too.
    assert _batches(resumed, 12) == _batches(it, 12)


def test_default_sampler_follows_numpys_global_seed():
    numpy.random.seed(5)
    first = _batches(SerialIterator(list(range(8)), 4), 4)
    numpy.random.seed(5)
    assert _batches(SerialIterator(list(range(8)), 4), 4) == first


def test_multiprocess_iterator_gives_the_serial_batches_and_resumes(save_and_restore):
    data = list(range(13))
    reference = SerialIterator(data, 4,
                               order_sampler=ShuffleOrderSampler(numpy.random.RandomState(3)))
    expected = _batches(reference, 10)
    with MultiprocessIterator(data, 4, n_processes=2, n_prefetch=2,
                              order_sampler=ShuffleOrderSampler(numpy.random.RandomState(3))) as it:
        assert _batches(it, 4) == expected[:4]
        assert it.epoch == 1 and it.epoch_detail == pytest.approx(16 / 13)
        with MultiprocessIterator(data, 4, n_processes=2, order_sampler=ShuffleOrderSampler(
                numpy.random.RandomState(0))) as resumed:
            save_and_restore(it, resumed)
            assert _batches(resumed, 6) == expected[4:]
        assert _batches(it, 6) == expected[4:]


def test_multiprocess_iterator_without_repeat_stops():
    with MultiprocessIterator(list(range(5)), 2, repeat=False, shuffle=False, n_processes=2) as it:
        assert list(it) == [[0, 1], [2, 3], [4]]
