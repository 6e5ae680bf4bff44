"""Arrays -> augmented batches on the device.

- :class:`DeviceLoader`: the whole dataset on the device as uint8, batches
  built and augmented with batched tensor operations.
- :class:`FolderLoader`: image folders decoded by worker processes.
- :class:`Augmentation` and the batched functions of :mod:`.augment`.
"""

from chainvision.datasets.loader import augment  # noqa: F401
from chainvision.datasets.loader.augmentation import Augmentation  # noqa: F401
from chainvision.datasets.loader.device_loader import DeviceLoader  # noqa: F401
from chainvision.datasets.loader.folder_loader import FolderLoader  # noqa: F401
