"""Devices and array conversion, Chainer's ``chainer.backend`` on PyTorch.

Chainer code names devices with specifiers such as ``'@numpy'``,
``'@cupy:0'``, ``'native'``, ``-1`` or ``0``.  Here every one of them maps to a
``torch.device``: NumPy/native/``-1`` is the CPU, CuPy/``N >= 0`` is
``cuda:N``, and PyTorch's own strings (``'cuda:1'``, ``'mps'``) pass through;
``'auto'`` is ``cuda`` when PyTorch sees a CUDA device, else the CPU.
CuPy is never required: on a GPU, arrays are CUDA tensors.
"""

import contextlib

import numpy
import torch


def _device_from_spec(spec):
    if spec is None:
        return torch.device('cpu')
    if isinstance(spec, Device):
        return spec.torch_device
    if isinstance(spec, torch.device):
        return spec
    if isinstance(spec, (int, numpy.integer)):
        return torch.device('cpu') if spec < 0 else torch.device('cuda', int(spec))
    if isinstance(spec, str):
        if spec == 'auto':
            return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
        if spec.lstrip('-').isdigit():  # Chainer's examples pass '--device -1' as a string
            return _device_from_spec(int(spec))
        if spec in ('@numpy', 'native', 'cpu', '@intel64'):
            return torch.device('cpu')
        if spec.startswith('@cupy') or spec.startswith('cuda'):
            index = spec.split(':')[1] if ':' in spec else '0'
            return torch.device('cuda', int(index))
        if spec.startswith('native:'):
            return torch.device('cpu')
        return torch.device(spec)
    raise ValueError(
        'Cannot interpret {!r} as a device: use "cpu", "cuda[:N]", '
        '"@numpy", "@cupy:N", an int (-1 for the CPU) or a torch.device.'.format(spec))


class Device:
    """A device on which arrays live (Chainer's ``backend.Device``).

    Args:
        spec: any device specifier (see the module docstring).

    Attributes:
        torch_device (torch.device): the PyTorch device.
        xp: ``numpy``; arrays on every device are ``torch.Tensor``, and
            functions accept NumPy arrays anywhere.
    """

    xp = numpy

    def __init__(self, spec=None):
        self.torch_device = _device_from_spec(spec)

    @property
    def name(self):
        """Chainer-style name: ``'@numpy'`` or ``'@cupy:N'`` (others: torch's)."""
        if self.torch_device.type == 'cpu':
            return '@numpy'
        if self.torch_device.type == 'cuda':
            return '@cupy:{}'.format(self.torch_device.index or 0)
        return str(self.torch_device)

    def send(self, arrays):
        """Move an array, or a tuple/list/dict of arrays, onto this device."""
        return to_device(arrays, self)

    def send_array(self, array):
        """Move one array onto this device (Chainer's ``Device.send_array``)."""
        return to_device(array, self)

    def use(self):
        """Make this device current (``torch.cuda.set_device`` for CUDA)."""
        if self.torch_device.type == 'cuda':
            torch.cuda.set_device(self.torch_device)

    @contextlib.contextmanager
    def create_context(self):
        """Context in which this device is current: ``cuda:N`` becomes
        PyTorch's current CUDA device and the previous one is restored on
        exit; on other devices the context does nothing."""
        if self.torch_device.type != 'cuda':
            yield
            return
        previous = torch.cuda.current_device()
        torch.cuda.set_device(self.torch_device)
        try:
            yield
        finally:
            torch.cuda.set_device(previous)

    def check_available(self):
        """Return this device, or raise ``ValueError`` saying why PyTorch
        cannot use it (no CUDA, or fewer CUDA devices than the index)."""
        device = self.torch_device
        if device.type != 'cuda':
            return self
        if not torch.cuda.is_available():
            raise ValueError('Device {} needs CUDA, but PyTorch sees no CUDA device (torch {}); '
                             "use 'cpu'.".format(device, torch.__version__))
        if (device.index or 0) >= torch.cuda.device_count():
            raise ValueError('Device {}: there are only {} CUDA device(s).'.format(
                device, torch.cuda.device_count()))
        return self

    def __eq__(self, other):
        return isinstance(other, Device) and self.torch_device == other.torch_device

    def __hash__(self):
        return hash(self.torch_device)

    def __repr__(self):
        return '<Device {}>'.format(self.torch_device)


class ChainerxDevice(Device):
    """Chainer's ChainerX device type, for ``isinstance`` tests only.

    ChainerX is never available (see :mod:`chainvision.chainerx`), so no
    device is ever a ``ChainerxDevice``: code such as Chainer's CIFAR example,
    ``if not isinstance(device, backend.ChainerxDevice)``, takes its usual
    path.  Creating one raises ``RuntimeError``, as in Chainer without
    ChainerX.
    """

    def __init__(self, device=None):
        raise RuntimeError('chainerx is not available.')


class CpuDevice(Device):
    """The host (Chainer's ``CpuDevice``, whose arrays are NumPy's; here
    CPU tensors, and functions accept NumPy arrays too)."""

    def __init__(self):
        super().__init__('cpu')


class GpuDevice(Device):
    """A CUDA device (Chainer's ``GpuDevice``); ``with device:`` makes it
    PyTorch's current CUDA device.

    Args:
        device_id (int or None): the CUDA index (default 0).
    """

    def __init__(self, device_id=None):
        super().__init__(torch.device('cuda', 0 if device_id is None else int(device_id)))

    @property
    def id(self):
        """The CUDA device index."""
        return self.torch_device.index

    @staticmethod
    def from_device_id(device_id):
        """Return the device ``cuda:device_id``."""
        return GpuDevice(device_id)

    def __enter__(self):
        self._context = self.create_context()
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)


def get_device(spec):
    """Return the device for a specifier (Chainer's ``get_device``): a
    :class:`CpuDevice` for the host, a :class:`GpuDevice` for ``cuda:N``, a
    plain :class:`Device` for other PyTorch devices (``'mps'``)."""
    torch_device = _device_from_spec(spec)
    if torch_device.type == 'cpu':
        return CpuDevice()
    if torch_device.type == 'cuda':
        return GpuDevice(torch_device.index or 0)
    return Device(torch_device)


# The precisions a network trains (``fit``'s ``precision`` option) and infers
# (:func:`chainvision.models.infer`, ``chainvision eval/predict --precision``)
# in: name -> the autocast dtype (``None``: no autocast, float32 throughout).
PRECISIONS = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}


def computes_bf16_natively(device):
    """Whether bf16 convolutions on ``device`` (a ``torch.device``) run at
    least as fast as fp32: on CUDA GPUs with bf16 tensor cores (Ampere,
    compute capability 8.0, and later), and on CPUs whose oneDNN has bf16
    kernels (AVX-512 BF16 or AMX).  Elsewhere PyTorch falls back to its
    reference convolution: ``speedrun_cifar`` trained at 2-3 images/s in
    bf16 against 30-50 in fp32 (channels-last, batch 128, one thread) on
    this project's AVX2 CPU."""
    if device.type == 'cuda':
        return torch.cuda.get_device_capability(device) >= (8, 0)
    return device.type == 'cpu' and torch.ops.mkldnn._is_mkldnn_bf16_supported()


def native_precision(device):
    """``'bf16'`` where ``device`` computes it natively
    (:func:`computes_bf16_natively`), else ``'fp32'``: what
    :func:`chainvision.models.infer`'s ``'auto'`` runs in."""
    return 'bf16' if computes_bf16_natively(device) else 'fp32'


def emulated_precision_warning(precision, device, work='training'):
    """The warning for running ``work`` (``'training'``, ``'inference'``)
    in ``precision`` (a name of :data:`PRECISIONS`) on ``device`` where it
    is emulated (correct, only several times slower than in
    :func:`native_precision`), or ``None``: bf16 or fp16 on a CPU without
    the instructions (AVX-512 BF16 or AMX; AVX-512 FP16 or AMX-FP16), whose
    oneDNN falls back to PyTorch's reference kernels."""
    if device.type != 'cpu' or precision == 'fp32':
        return None
    native = {'bf16': computes_bf16_natively(device),
              'fp16': torch.ops.mkldnn._is_mkldnn_fp16_supported()}[precision]
    if native:
        return None
    return ('--precision {0} runs emulated on this CPU (it has no native {0} instructions): '
            '{2} is correct but several times slower than in {1}; --precision {1} (the '
            'default here) is faster.'.format(precision, native_precision(device), work))


def using_device(spec):
    """Context in which the device named by ``spec`` is current (Chainer's
    ``using_device``): for ``'@cupy:1'``/``'cuda:1'``/``1`` PyTorch's current
    CUDA device is ``cuda:1`` inside and restored after; for the CPU it does
    nothing.  On a machine with two GPUs:

    >>> import chainvision
    >>> with chainvision.using_device('@cupy:1'):  # doctest: +SKIP
    ...     torch.cuda.current_device()
    1
    """
    return get_device(spec).create_context()


def get_device_from_array(array):
    """Return the :class:`Device` an array (tensor or NumPy array) is on."""
    if isinstance(array, torch.Tensor):
        return get_device(array.device)
    return CpuDevice()


def get_cpu_array_types():
    """The array types that live on the host: ``(numpy.ndarray,)``."""
    return (numpy.ndarray,)


def get_array_types():
    """The types chainvision treats as arrays: ``(numpy.ndarray,
    torch.Tensor)`` (Chainer's NumPy, CuPy and ChainerX arrays); use as
    ``isinstance(x, chainvision.get_array_types())``."""
    return (numpy.ndarray, torch.Tensor)


def is_arrays_compatible(arrays):
    """Whether ``arrays`` (``None`` entries ignored) can meet in one
    operation: all NumPy arrays or CPU tensors, or all tensors on one device.
    Chainer's version only tells NumPy, CuPy and ChainerX apart."""
    devices = {get_device_from_array(a).torch_device for a in arrays if a is not None}
    return len(devices) <= 1


def copyto(dst, src):
    """Copy ``src`` into ``dst`` in place, across devices (Chainer's
    ``backend.copyto``).

    Args:
        dst (torch.Tensor or numpy.ndarray): the destination.
        src: a tensor, NumPy array or scalar broadcastable to ``dst``.
    """
    if isinstance(dst, numpy.ndarray):
        numpy.copyto(dst, to_cpu(src) if isinstance(src, torch.Tensor) else src)
        return
    with torch.no_grad():
        dst.copy_(torch.as_tensor(src).broadcast_to(dst.shape))


def get_array_module(*args):
    """Return ``numpy``: arrays are tensors or NumPy arrays on every device,
    and chainvision functions accept both (Chainer would return CuPy for GPU
    arrays)."""
    return numpy


def to_device(arrays, device):
    """Move a tensor/array, or a nested tuple/list/dict of them, to ``device``.

    NumPy arrays become tensors.  Other objects are returned unchanged.
    """
    target = _device_from_spec(device)
    if isinstance(arrays, torch.Tensor):
        return arrays.to(target)
    if isinstance(arrays, numpy.ndarray):
        return torch.as_tensor(arrays).to(target)
    if isinstance(arrays, (list, tuple)):
        return type(arrays)(to_device(a, target) for a in arrays)
    if isinstance(arrays, dict):
        return {k: to_device(v, target) for k, v in arrays.items()}
    return arrays


def to_cpu(array):
    """Return a NumPy copy of a tensor (or of a nested container of them).

    Like Chainer's ``to_cpu``, the result is a host array: a tensor is
    detached and converted, a NumPy array is returned as is.
    """
    if isinstance(array, torch.Tensor):
        return array.detach().cpu().numpy()
    if isinstance(array, (list, tuple)):
        return type(array)(to_cpu(a) for a in array)
    if isinstance(array, dict):
        return {k: to_cpu(v) for k, v in array.items()}
    return array


def to_gpu(array, device=None):
    """Move a tensor/array to ``cuda:device`` (default: the current CUDA device)."""
    if device is None:
        device = torch.cuda.current_device()
    return to_device(array, device if not isinstance(device, int) else torch.device('cuda', device))


def torch_dtype(dtype):
    """The ``torch.dtype`` of ``dtype``: a NumPy dtype, its type or name
    (``numpy.float16``, ``'f'``, ``'float32'``), or a ``torch.dtype``
    (returned as it is)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return torch.from_numpy(numpy.empty(0, dtype=numpy.dtype(dtype))).dtype


def as_tensor(x, like=None):
    """Return ``x`` as a ``torch.Tensor`` without copying when possible
    (NumPy arrays that are read-only or have negative strides are copied).

    Args:
        x: a tensor, a NumPy array, a Python scalar or a nested list.
        like (torch.Tensor or None): when ``x`` is not yet a tensor, the
            result is put on ``like``'s device (so NumPy inputs meet CUDA
            parameters where they are).
    """
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, numpy.ndarray) and (not x.flags.writeable or min(x.strides, default=0) < 0):
        # torch cannot share read-only memory or negative strides (x[:, ::-1]).
        x = x.copy()
    tensor = torch.as_tensor(x)
    if like is not None and tensor.device != like.device:
        tensor = tensor.to(like.device)
    return tensor


def as_tensors(*xs):
    """Convert several inputs with :func:`as_tensor`, placing NumPy ones on
    the device of the first input that already is a tensor.  ``None`` stays
    ``None``."""
    like = next((x for x in xs if isinstance(x, torch.Tensor)), None)
    return tuple(None if x is None else as_tensor(x, like) for x in xs)
