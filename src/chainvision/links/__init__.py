"""Links (layers with parameters) with Chainer's names and semantics (``L``).

Every link is a ``torch.nn.Module`` and a :class:`chainvision.Link`.
"""

from chainvision.links.connection.convolution_2d import Convolution2D  # noqa: F401
from chainvision.links.connection.linear import Linear  # noqa: F401
from chainvision.links.model.classifier import Classifier  # noqa: F401
from chainvision.links.normalization.batch_normalization import BatchNormalization  # noqa: F401
