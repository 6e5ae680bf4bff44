"""Counting a model's multiply-accumulates (MACs) and tabulating its layers
by running one forward pass with hooks on every layer.

Convention (the one behind the papers' "FLOPs": He et al. 2016 give
ResNet-50 3.8 billion, Simonyan & Zisserman's VGG-16 is 15.5 billion): only
convolutions and fully connected layers count, one MAC per
multiplication-addition of a weight; biases, BatchNorm, activations and
pooling are left out.  A convolution producing ``O`` output values from
kernels of ``C_in / groups x kh x kw`` does ``O * C_in / groups * kh * kw``
MACs, a linear layer ``O * in_size``.
"""

import dataclasses

import torch

from chainvision import links as L
from chainvision.configuration import no_backprop_mode, using_config
from chainvision.link import named_links

# Layers whose MACs are counted: each holds its weight as ``W`` or ``weight``
# with the output unit on axis 0 and one output value's inputs on the rest.
_COUNTED = (L.Convolution2D, L.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d,
            torch.nn.Linear)


@dataclasses.dataclass
class LayerRow:
    """One call of one layer during the forward pass.

    Attributes:
        path (str): the layer's path in Chainer's notation (``/res2/a/conv1``).
        type (str): the layer's class name.
        output_shape (tuple): shape of its output without the batch axis.
        params (int): parameters held by the layer itself.
        macs (int): MACs of this call for one image.
    """

    path: str
    type: str
    output_shape: tuple
    params: int
    macs: int


def _layer_macs(module, output, batch):
    if not isinstance(module, _COUNTED):
        return 0
    weight = module.W if hasattr(module, 'W') else module.weight
    return output.numel() // batch * weight[0].numel()


def _is_leaf(module):
    return next(module.children(), None) is None


def layer_table(model, input_size, batch=1):
    """Run ``model`` on a zero batch of images of ``input_size`` ``(C, H, W)``
    and return one :class:`LayerRow` per call of each leaf layer (a layer
    without child layers), in call order.

    The pass runs in inference mode without gradients on the device and in
    the dtype of the model's parameters; a model built on the ``meta``
    device is measured without doing any arithmetic.  Layers called several
    times give several rows.
    """
    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device('cpu')
    dtype = first.dtype if first is not None else torch.float32
    x = torch.zeros((batch,) + tuple(input_size), device=device, dtype=dtype)
    paths = {module: path for path, module in named_links(model)}
    rows = []

    def record(module, inputs, output):
        if isinstance(output, torch.Tensor):
            params = sum(p.numel() for p in module.parameters(recurse=False))
            rows.append(LayerRow(paths[module], type(module).__name__, tuple(output.shape[1:]),
                                 params, _layer_macs(module, output, batch)))

    handles = [m.register_forward_hook(record) for m in paths if m is not model and _is_leaf(m)]
    try:
        with using_config('train', False), no_backprop_mode():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return rows


def count_macs(model, input_size):
    """MACs of one forward pass of ``model`` on one image of ``input_size``
    ``(C, H, W)``, in inference mode (see the module docstring for what
    counts)."""
    return sum(row.macs for row in layer_table(model, input_size))
