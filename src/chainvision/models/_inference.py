"""The fast inference form of a network, which :meth:`ImageClassifier.predict
<chainvision.models.ImageClassifier.predict>` and ``chainvision eval`` /
``predict`` run: the same logits as the plain forward in inference mode,
from fewer operations.

>>> import torch
>>> import chainvision
>>> from chainvision import models
>>> net = models.create('resnet20')
>>> x = torch.randn(4, 3, 32, 32)
>>> fast = models.infer(net, x, precision='fp32')      # logits (4, 10), float32
>>> with chainvision.using_config('train', False), torch.no_grad():
...     plain = net(x)
>>> bool((fast - plain).abs().max() <= 1e-4 * plain.abs().max())
True

What the form changes, on a copy of the network (the network itself, and
so its training graph, is never touched):

- every BatchNorm that normalises the output of a convolution and nothing
  else is folded into that convolution's weights and bias (its running
  statistics are fixed in inference, so ``gamma * (conv(x) - mean) / sqrt(var
  + eps) + beta`` is one convolution); which outputs feed a BatchNorm alone
  is read by running the copy once on an input of the given size and
  recording every operation that reads each convolution's output;
- weights and input in channels-last memory (oneDNN's and cuDNN's fast
  layout for convolutions; ``channels_last=False`` keeps NCHW);
- with ``precision='bf16'`` or ``'fp16'``, convolutions and fully
  connected layers in that dtype (their weights cast once, under autocast;
  the logits returned in float32).  ``'auto'``, the default, takes bf16
  where the device computes it natively
  (:func:`~chainvision.backend.computes_bf16_natively`), else fp32.  fp16
  is for GPUs: on a CPU without fp16 instructions it runs emulated, several
  times slower, with one warning that names the faster precision (as
  training's ``--precision`` warns).

The zoo's blocks also apply their activations and residual additions in
place, which the form inherits.

The copy is cached per network and made again when any of its parameters
or persistent arrays is replaced, moved or written in place (an optimizer
step, ``load_state_dict``, ``load_npz``, ``param.array[...] = ...``: PyTorch's
version counters), or when the input's size, dtype or device changes.
Writes through ``tensor.data``, which PyTorch hides from the version
counter, and changes to plain attributes (a BatchNorm's ``eps``) are not
seen: :func:`forget_inference_form` drops the cached copy (which also
frees its memory, as much again as the network's).
"""

import collections
import copy
import warnings
import weakref
from collections.abc import Iterator
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves
from torch.utils.hooks import RemovableHandle

from chainvision import backend
from chainvision import links as L
from chainvision.backend import as_tensor
from chainvision.configuration import using_config
from chainvision.functions.normalization.batch_normalization import add_residual_relu

# The precisions of inference (``infer``'s ``precision``, ``chainvision
# eval/predict --precision``): 'auto' and those a network trains in.
PRECISIONS = ('auto',) + tuple(backend.PRECISIONS)

# network -> (key, form): the copy holds no reference to the network, so the
# entry goes when the network does.
_FORMS: 'weakref.WeakKeyDictionary[torch.nn.Module, tuple[Any, torch.nn.Module]]' = (
    weakref.WeakKeyDictionary())

# The (precision, device type) pairs already warned about as emulated.
_WARNED: set[tuple[str, str]] = set()


def infer(network: torch.nn.Module, x: Any, precision: str = 'auto',
          channels_last: bool = True) -> torch.Tensor:
    """The logits of ``network`` for ``x``, computed by its fast inference
    form (see the module docstring) in inference mode, without gradients.

    Args:
        network (torch.nn.Module): images ``(N, C, H, W)`` -> logits
            ``(N, K)`` (a zoo model, or any module).
        x: its input ``(N, C, H, W)`` (a tensor or a NumPy array; an array
            goes to the network's device).
        precision (str): one of :data:`PRECISIONS`: ``'auto'`` (the
            default: bf16 where the device computes it natively, else
            fp32), ``'fp32'``, ``'bf16'`` or ``'fp16'``.
        channels_last (bool): NHWC weights and input (the default), else
            NCHW.

    Returns:
        torch.Tensor: float32 logits ``(N, K)``; in fp32 within 1e-4 of the
        plain forward's (relative to their largest magnitude).

    Raises:
        ValueError: ``precision`` is not one of :data:`PRECISIONS`.
    """
    _check_precision(precision)
    x = as_tensor(x, next(network.parameters(), None))
    if precision == 'auto':
        precision = backend.native_precision(x.device)
    key = (_tensor_versions(network), tuple(x.shape[1:]), x.dtype, x.device, precision,
           channels_last)
    cached = _FORMS.get(network)
    if cached is None or cached[0] != key:
        warn_once_if_emulated(precision, x.device)
        cached = key, inference_form(network, x[:1], precision, channels_last)
        _FORMS[network] = cached
    return cached[1](x)


def _check_precision(precision: str) -> None:
    if precision not in PRECISIONS:
        raise ValueError('precision must be one of {}, got {!r}.'.format(
            ', '.join(map(repr, PRECISIONS)), precision))


def warn_once_if_emulated(precision: str, device: torch.device, work: str = 'inference') -> None:
    """Warn that ``work`` in ``precision`` runs emulated on ``device``
    (:func:`~chainvision.backend.emulated_precision_warning`), once per
    process for each precision and device type: a run warns for its
    training when it starts, and its evaluations, in the same precision,
    do not warn again.  The warning points at the caller's caller."""
    message = backend.emulated_precision_warning(precision, device, work)
    if message is not None and (precision, device.type) not in _WARNED:
        _WARNED.add((precision, device.type))
        warnings.warn(message, stacklevel=3)


class FastInference(torch.nn.Module):
    """``network`` called through :func:`infer`: a module for what takes
    one (test-time augmentation, ``L.Classifier``), whose forward gives the
    float32 logits ``(N, K)`` of images ``(N, C, H, W)`` from the network's
    cached fast inference form.

    Args:
        network (torch.nn.Module): the network (registered as the child
            ``network``; never changed).
        precision (str), channels_last (bool): as :func:`infer`.
    """

    def __init__(self, network: torch.nn.Module, precision: str = 'auto',
                 channels_last: bool = True) -> None:
        super().__init__()
        _check_precision(precision)
        self.network = network
        self.precision = precision
        self.channels_last = channels_last

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return infer(self.network, x, self.precision, self.channels_last)


def forget_inference_form(network: torch.nn.Module) -> None:
    """Drop the cached inference form of ``network`` (the next
    :func:`infer` makes it again): needed only after changes the cache
    cannot see, see the module docstring."""
    _FORMS.pop(network, None)


def _tensor_versions(network: torch.nn.Module) -> tuple[tuple[int, int, int], ...]:
    return tuple((id(t), t.data_ptr(), t._version)
                 for tensors in (network.parameters(), network.buffers()) for t in tensors)


class InferenceForm(torch.nn.Module):
    """A network prepared by :func:`inference_form`, called as the network
    is: input ``(N, C, H, W)``, float32 logits out, in inference mode
    without gradients; with ``channels_last`` a 4-d input is made
    channels-last, and with ``dtype`` bfloat16 or float16 the network runs
    under autocast to it."""

    def __init__(self, network: torch.nn.Module, dtype: torch.dtype,
                 channels_last: bool = True) -> None:
        super().__init__()
        self.network = network
        self.dtype = dtype
        self.channels_last = channels_last

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.channels_last and x.ndim == 4:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.no_grad(), using_config('train', False), torch.autocast(
                x.device.type, dtype=self.dtype, enabled=self.dtype != torch.float32):
            return self.network(x).float()


def inference_form(network: torch.nn.Module, example: torch.Tensor,
                   precision: str = 'fp32', channels_last: bool = True) -> InferenceForm:
    """A copy of ``network`` for inference: in eval mode, without
    gradients, each BatchNorm that normalises a convolution's output alone
    folded into the convolution (:func:`foldable_pairs`), in channels-last
    memory (unless ``channels_last=False``); with ``precision`` ``'bf16'``
    or ``'fp16'`` its convolutions' and fully connected layers' weights
    cast to that dtype once (autocast would cast them at every call).

    Args:
        network (torch.nn.Module): the network (left unchanged; a network
            compiled in place with ``Module.compile`` is copied without
            its compiled call, so the copy runs eagerly).
        example (torch.Tensor): an input of the size it will take (one
            image is enough); the copy runs once on it.
        precision (str): ``'fp32'``, ``'bf16'`` or ``'fp16'``.
        channels_last (bool): NHWC weights (and input, at each call).

    Returns:
        InferenceForm: the prepared copy.
    """
    copied = copy.deepcopy(network).eval().requires_grad_(False)
    for conv, bn in foldable_pairs(copied, example):
        fold_batch_normalization(conv, bn)
    if channels_last:
        copied.to(memory_format=torch.channels_last)  # type: ignore[call-overload]  # no stub
    dtype = backend.PRECISIONS[precision] or torch.float32
    if dtype != torch.float32:
        for link in copied.modules():
            if type(link) in (L.Convolution2D, L.Linear):
                link.to(dtype)
    return InferenceForm(copied, dtype, channels_last)


def foldable_pairs(network: torch.nn.Module, example: torch.Tensor
                   ) -> list[tuple[L.Convolution2D, L.BatchNormalization]]:
    """The ``(convolution, BatchNorm)`` link pairs of ``network`` where the
    BatchNorm normalises the convolution's output and nothing else reads
    it, as one inference-mode forward pass on ``example`` shows: each link
    called once, the output handed to the BatchNorm, every operation that
    reads it run inside that BatchNorm, and the output gone once the pass
    ends (not returned or kept).  Only exact ``L.Convolution2D`` and
    ``L.BatchNormalization`` links normalising over channels are
    considered."""
    recorder = _ReadRecorder()
    hooks: list[RemovableHandle] = []
    for link in network.modules():
        if type(link) is L.Convolution2D:
            hooks.append(link.register_forward_hook(recorder.convolution_output))
        elif type(link) is L.BatchNormalization and link.axis is None:
            hooks.append(link.register_forward_pre_hook(recorder.batch_norm_enters))
            hooks.append(link.register_forward_hook(recorder.batch_norm_leaves))
    try:
        with torch.no_grad(), using_config('train', False), recorder:
            result = network(example)
    finally:
        for hook in hooks:
            hook.remove()
    del result
    return list(recorder.pairs())


class _ConvolutionOutput:
    """One call's output of a convolution: a weak reference to it (so that
    whether it outlives the pass shows) and the BatchNorms running when an
    operation read it (``None``: outside any)."""

    def __init__(self, output: torch.Tensor, conv: L.Convolution2D) -> None:
        self.output = weakref.ref(output)
        self.conv = conv
        self.readers: set[L.BatchNormalization | None] = set()


class _ReadRecorder(TorchDispatchMode):
    """Records the operations that read each convolution's output, and
    which convolution output (if any) each BatchNorm was given."""

    def __init__(self) -> None:
        super().__init__()
        # id -> the live output with that id (an id is reused only once its
        # tensor is gone, when nothing can read it any more).
        self.outputs: dict[int, _ConvolutionOutput] = {}
        self.calls: collections.Counter[torch.nn.Module] = collections.Counter()
        self.sources: dict[L.BatchNormalization, _ConvolutionOutput] = {}
        self.running: list[L.BatchNormalization] = []   # the BatchNorms running now

    def _record_of(self, value: Any) -> _ConvolutionOutput | None:
        record = self.outputs.get(id(value))
        return record if record is not None and record.output() is value else None

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (),
                           kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        for value in tree_leaves((args, kwargs)):
            record = self._record_of(value)
            if record is not None:
                record.readers.add(self.running[-1] if self.running else None)
        return func(*args, **kwargs)

    def convolution_output(self, conv: L.Convolution2D, inputs: Any,
                           output: torch.Tensor) -> None:
        self.calls[conv] += 1
        self.outputs[id(output)] = _ConvolutionOutput(output, conv)

    def batch_norm_enters(self, bn: L.BatchNormalization, inputs: Any) -> None:
        self.calls[bn] += 1
        record = self._record_of(inputs[0])
        if record is not None:
            self.sources[bn] = record
        self.running.append(bn)

    def batch_norm_leaves(self, bn: L.BatchNormalization, inputs: Any, output: Any) -> None:
        self.running.pop()

    def pairs(self) -> Iterator[tuple[L.Convolution2D, L.BatchNormalization]]:
        for bn, record in self.sources.items():
            if (record.output() is None and self.calls[record.conv] == 1
                    and self.calls[bn] == 1 and record.readers == {bn}):
                yield record.conv, bn


def fold_batch_normalization(conv: L.Convolution2D, bn: L.BatchNormalization) -> None:
    """Fold ``bn``'s inference-mode normalisation into ``conv``, whose
    output it normalises alone: ``W`` scaled by ``gamma / sqrt(avg_var +
    eps)`` per output channel, ``b`` (added if ``conv`` had none) shifted
    to ``beta - avg_mean * scale``; ``bn`` then passes its input through (adding
    the residual and applying the ReLU it is given, if any).
    Computed in float64, stored in the weights' dtype."""
    scale = bn.avg_var.double().add(bn.eps).rsqrt()
    if bn.gamma is not None:
        scale = scale * bn.gamma.double()
    bias = conv.b.double() if conv.b is not None else torch.zeros_like(scale)
    bias = (bias - bn.avg_mean.double()) * scale
    if bn.beta is not None:
        bias = bias + bn.beta.double()
    W = conv.W.double() * scale.reshape(-1, *([1] * (conv.W.ndim - 1)))
    with torch.no_grad():
        conv.W.copy_(W)
    conv.b = torch.nn.Parameter(bias.to(conv.W.dtype), requires_grad=False)
    # Shadowing the link's forward, rather than replacing the link, also
    # works inside containers that keep their own list (Sequential).
    setattr(bn, 'forward', _pass_through)


def _pass_through(x: torch.Tensor, finetune: bool = False, residual: Any = None,
                  relu: bool = False) -> torch.Tensor:
    # What a BatchNorm does after normalising, it still does.
    return add_residual_relu(x, residual, relu)

