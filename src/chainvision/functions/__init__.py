"""Differentiable functions with Chainer's names and semantics (``F``).

Every function accepts NumPy arrays or ``torch.Tensor`` and returns a
``torch.Tensor`` (NumPy inputs join the device of any tensor input).
"""

from chainvision.functions.activation.clipped_relu import clipped_relu  # noqa: F401
from chainvision.functions.activation.elu import elu  # noqa: F401
from chainvision.functions.activation.gelu import gelu  # noqa: F401
from chainvision.functions.activation.hard_sigmoid import hard_sigmoid  # noqa: F401
from chainvision.functions.activation.leaky_relu import leaky_relu  # noqa: F401
from chainvision.functions.activation.log_softmax import log_softmax  # noqa: F401
from chainvision.functions.activation.relu import relu  # noqa: F401
from chainvision.functions.activation.sigmoid import sigmoid  # noqa: F401
from chainvision.functions.activation.softmax import softmax  # noqa: F401
from chainvision.functions.activation.swish import swish  # noqa: F401
from chainvision.functions.activation.tanh import tanh  # noqa: F401
from chainvision.functions.array.concat import concat  # noqa: F401
from chainvision.functions.connection.convolution_2d import convolution_2d  # noqa: F401
from chainvision.functions.connection.linear import linear  # noqa: F401
from chainvision.functions.evaluation.accuracy import accuracy  # noqa: F401
from chainvision.functions.loss.softmax_cross_entropy import softmax_cross_entropy  # noqa: F401
from chainvision.functions.noise.dropout import dropout  # noqa: F401
from chainvision.functions.normalization.batch_normalization import (  # noqa: F401
    batch_normalization, fixed_batch_normalization)
from chainvision.functions.normalization.local_response_normalization import (  # noqa: F401
    local_response_normalization)
from chainvision.functions.pooling.average_pooling_2d import average_pooling_2d  # noqa: F401
from chainvision.functions.pooling.max_pooling_2d import max_pooling_2d  # noqa: F401
