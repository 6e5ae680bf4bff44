"""Links (layers with parameters) with Chainer's names and semantics (``L``).

Every link is a ``torch.nn.Module`` and a :class:`chainvision.Link`.  The
pre-trained ``VGG16Layers``, ``ResNet50Layers``, ``ResNet101Layers``,
``ResNet152Layers`` and ``GoogLeNet`` are defined in
:mod:`chainvision.models.extractors` and imported on first use.
"""

from chainvision.links.activation.maxout import Maxout  # noqa: F401
from chainvision.links.activation.prelu import PReLU  # noqa: F401
from chainvision.links.activation.swish import Swish  # noqa: F401
from chainvision.links.connection.bias import Bias  # noqa: F401
from chainvision.links.connection.convolution_2d import Convolution2D  # noqa: F401
from chainvision.links.connection.convolution_nd import (  # noqa: F401
    Convolution1D, Convolution3D, ConvolutionND)
from chainvision.links.connection.deconvolution_2d import Deconvolution2D  # noqa: F401
from chainvision.links.connection.deconvolution_nd import (  # noqa: F401
    Deconvolution1D, Deconvolution3D, DeconvolutionND)
from chainvision.links.connection.depthwise_convolution_2d import (  # noqa: F401
    DepthwiseConvolution2D)
from chainvision.links.connection.dilated_convolution_2d import DilatedConvolution2D  # noqa: F401
from chainvision.links.connection.highway import Highway  # noqa: F401
from chainvision.links.connection.inception import Inception  # noqa: F401
from chainvision.links.connection.inceptionbn import InceptionBN  # noqa: F401
from chainvision.links.connection.linear import Linear  # noqa: F401
from chainvision.links.connection.mlp_convolution_2d import MLPConvolution2D  # noqa: F401
from chainvision.links.connection.parameter import Parameter  # noqa: F401
from chainvision.links.connection.scale import Scale  # noqa: F401
from chainvision.links.model.classifier import Classifier  # noqa: F401
from chainvision.links.normalization.batch_normalization import BatchNormalization  # noqa: F401
from chainvision.links.normalization.batch_renormalization import (  # noqa: F401
    BatchRenormalization)
from chainvision.links.normalization.group_normalization import GroupNormalization  # noqa: F401
from chainvision.links.normalization.layer_normalization import LayerNormalization  # noqa: F401
from chainvision.utils.lazy import lazy_attributes

# The pre-trained extractors are zoo networks (chainvision.models.extractors,
# which imports links): imported on first use so links never imports the zoo.
__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(
    ('GoogLeNet', 'ResNet50Layers', 'ResNet101Layers', 'ResNet152Layers', 'VGG16Layers'),
    'chainvision.models.extractors'))
