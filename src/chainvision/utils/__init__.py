"""Chainer's ``chainer.utils``: helpers that Chainer code commonly imports."""

from chainvision.utils import argument  # noqa: F401
from chainvision.utils import conv  # noqa: F401
from chainvision.utils.array import force_array, force_type, size_of_shape, sum_to  # noqa: F401
from chainvision.utils.conv import get_conv_outsize, get_deconv_outsize  # noqa: F401
from chainvision.utils.experimental import experimental  # noqa: F401
from chainvision.utils.temporary_directory import tempdir  # noqa: F401
