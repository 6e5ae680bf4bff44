"""Updaters: what one training iteration does."""

from chainvision.training.updaters.standard_updater import StandardUpdater  # noqa: F401
