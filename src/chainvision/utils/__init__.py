"""Chainer's ``chainer.utils``: helpers that Chainer code commonly imports."""

from chainvision.utils import conv  # noqa: F401
from chainvision.utils.conv import get_conv_outsize, get_deconv_outsize  # noqa: F401
