"""Writing a trained model out for deployment: ONNX, TorchScript or a
``torch.export`` program (``.pt2``).

The exported graph is the whole :class:`~chainvision.app.inference.InferenceModel`:
it takes raw pixels ``(N, C, H, W)`` (float32 in 0-255, or uint8 with
``input_dtype='uint8'``), normalises them as training did, and returns class
probabilities (logits with ``logits=True``), so a deployment needs no
knowledge of the training run.  Its input is named ``pixels`` and its output
``probabilities`` (or ``logits``).

How each file is run::

    onnxruntime.InferenceSession('m.onnx').run(None, {'pixels': x})[0]
    torch.jit.load('m.torchscript')(x)
    torch.export.load('m.pt2').module()(x)

ONNX uses PyTorch's ``torch.export``-based exporter (``pip install
chainvision[onnx]`` brings onnxscript, which it needs, and onnxruntime);
TorchScript is traced (``torch.jit.trace``; PyTorch deprecates TorchScript
in favour of ``torch.export``, so prefer ``pt2`` where the runtime allows).
"""

import os
import warnings
from typing import Optional, Sequence

import torch

from chainvision.app.inference import InferenceModel
from chainvision.configuration import using_config

FORMATS = ('onnx', 'torchscript', 'pt2')
INPUT_DTYPES = {'float32': torch.float32, 'uint8': torch.uint8}


class _Graph(torch.nn.Module):
    """What is exported: the model's probabilities, or its logits."""

    def __init__(self, model, logits):
        super().__init__()
        self.model = model
        self.logits = logits

    def forward(self, pixels):
        return self.model.logits(pixels) if self.logits else self.model(pixels)


def export(model, path, format: str = 'onnx', input_shape: Optional[Sequence[int]] = None,
           dynamic_batch: bool = False, logits: bool = False, input_dtype: str = 'float32',
           mean=None, std=None) -> str:
    """Write ``model`` to ``path`` as a graph from raw pixels to
    probabilities (see the module docstring).

    Args:
        model: an :class:`~chainvision.app.inference.InferenceModel` (from
            :func:`chainvision.load`: it knows its normalisation and input
            shape), or a bare network taking normalised images, normalised
            with ``mean`` and ``std`` (default: pixels / 255).
        path: the file to write.
        format: ``'onnx'``, ``'torchscript'`` or ``'pt2'``.
        input_shape: ``(C, H, W)`` of the graph's input (default: the
            model's ``input_shape``).
        dynamic_batch: the batch size is free; otherwise it is 1.
        logits: output logits instead of probabilities.
        input_dtype: ``'float32'`` (pixels in 0-255) or ``'uint8'``.
        mean, std: only with a bare network, see above.

    Returns:
        ``path``.  The model's training mode is left as it was.
    """
    if format not in FORMATS:
        raise ValueError('format must be one of {}, got {!r}.'.format(', '.join(FORMATS), format))
    if input_dtype not in INPUT_DTYPES:
        raise ValueError("input_dtype must be 'float32' or 'uint8', got {!r}.".format(input_dtype))
    if isinstance(model, InferenceModel):
        if mean is not None or std is not None:
            raise ValueError('mean and std are for a bare network; this InferenceModel has its '
                             'own normalisation.')
    else:
        model = InferenceModel(model, mean, std, input_shape=input_shape)
    input_shape = tuple(input_shape or model.input_shape or ())
    if len(input_shape) != 3:
        raise ValueError('Pass input_shape=(C, H, W): the model does not say what size it '
                         'takes.')
    device = next(model.parameters()).device
    # Batch 2 when dynamic: torch.export would specialise a size-1 dimension.
    example = torch.randint(0, 256, (2 if dynamic_batch else 1,) + input_shape,
                            device=device).to(INPUT_DTYPES[input_dtype])
    graph = _Graph(model, logits)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), using_config('train', False):
            _WRITERS[format](graph, example, os.fspath(path), dynamic_batch,
                             'logits' if logits else 'probabilities')
    finally:
        model.train(was_training)
    return path


def _dynamic_shapes(dynamic_batch):
    return ({0: torch.export.Dim('batch', min=1)},) if dynamic_batch else None


def _write_pt2(graph, example, path, dynamic_batch, output_name):
    program = torch.export.export(graph, (example,), dynamic_shapes=_dynamic_shapes(dynamic_batch))
    torch.export.save(program, path)


def _write_onnx(graph, example, path, dynamic_batch, output_name):
    try:
        import onnxscript  # noqa: F401
    except ImportError:
        raise ImportError("ONNX export needs the onnx and onnxscript packages: pip install "
                          "'chainvision[onnx]'.") from None
    program = torch.export.export(graph, (example,), dynamic_shapes=_dynamic_shapes(dynamic_batch))
    torch.onnx.export(program, (example,), path, input_names=['pixels'],
                      output_names=[output_name], dynamo=True, verbose=False)


def _write_torchscript(graph, example, path, dynamic_batch, output_name):
    # Tracing records the input's sizes as operations, so the traced graph
    # takes any batch size; what it freezes (kernel sizes, the channel
    # checks) is constant anyway, hence no TracerWarning.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        traced = torch.jit.trace(graph, example, check_trace=False)
    torch.jit.save(traced, path)


_WRITERS = {'onnx': _write_onnx, 'torchscript': _write_torchscript, 'pt2': _write_pt2}
