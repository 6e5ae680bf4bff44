"""Triggers: callables ``trigger(trainer) -> bool`` deciding when an
extension runs or training stops."""

from chainvision.training.triggers.early_stopping_trigger import EarlyStoppingTrigger  # noqa: F401
from chainvision.training.triggers.interval_trigger import IntervalTrigger  # noqa: F401
from chainvision.training.triggers.manual_schedule_trigger import ManualScheduleTrigger  # noqa: F401,E501
from chainvision.training.triggers.minmax_value_trigger import (  # noqa: F401
    BestValueTrigger, MaxValueTrigger, MinValueTrigger)
from chainvision.training.triggers.once_trigger import OnceTrigger  # noqa: F401
from chainvision.training.triggers.time_trigger import TimeTrigger  # noqa: F401
