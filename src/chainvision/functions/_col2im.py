"""Transposed convolution with Chainer's ``col2im`` output geometry, shared
by ``deconvolution_2d`` and ``unpooling_2d``."""

import torch.nn.functional as torch_f


def transposed_convolution(x, W, stride, pad, out_size, dilate=(1, 1), groups=1):
    """Scatter every input pixel times its kernel into an unpadded canvas of
    length ``s * (in - 1) + dk``, then keep ``[p, p + out)`` of each spatial
    axis, filling with zeros past the canvas (Chainer's ``col2im``).

    Going through the full canvas lets ``out`` be any length Chainer allows,
    where PyTorch's ``output_padding`` must stay below the stride.
    """
    y = torch_f.conv_transpose2d(x, W, None, stride, 0, 0, groups, dilate)
    shortfall = [max(0, pad[i] + out_size[i] - y.shape[2 + i]) for i in (0, 1)]
    if any(shortfall):
        y = torch_f.pad(y, (0, shortfall[1], 0, shortfall[0]))
    return y[:, :, pad[0]:pad[0] + out_size[0], pad[1]:pad[1] + out_size[1]]
