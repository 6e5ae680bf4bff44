"""A trainer whose updater is a mock, for testing extensions and triggers."""

import unittest.mock

from chainvision.training.trainer import Trainer


def get_trainer_with_mock_updater(stop_trigger=(10, 'iteration'), iter_per_epoch=10,
                                  extensions=None):
    """Return a :class:`~chainvision.training.Trainer` whose updater is a
    ``unittest.mock.Mock`` without optimizers.

    Each ``updater.update()`` calls the mock's ``update_core`` and advances
    ``iteration``, ``epoch``, ``epoch_detail``, ``previous_epoch_detail`` and
    ``is_new_epoch`` as an updater with ``iter_per_epoch`` iterations per
    epoch would.
    """
    updater = unittest.mock.Mock()
    updater.get_all_optimizers.return_value = {}
    updater.iteration = 0
    updater.epoch = 0
    updater.epoch_detail = 0
    updater.previous_epoch_detail = None
    updater.is_new_epoch = True

    def update():
        updater.update_core()
        updater.iteration += 1
        updater.epoch = updater.iteration // iter_per_epoch
        updater.epoch_detail = updater.iteration / iter_per_epoch
        updater.previous_epoch_detail = (updater.iteration - 1) / iter_per_epoch
        updater.is_new_epoch = (updater.iteration - 1) // iter_per_epoch != updater.epoch

    updater.update = update
    return Trainer(updater, stop_trigger, extensions=extensions or [])
