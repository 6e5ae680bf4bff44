"""Chainer's configuration objects: ``chainvision.config`` and ``using_config``.

``config`` is thread-local: reading an entry looks first at this thread's
value, then at ``global_config``.  Entries (defaults as in Chainer v7):

- ``train`` (``True``): training behaviour of dropout and batch normalization.
  ``Link.forward`` code should test ``chainvision.is_train(link)`` (alias of
  ``config.train and link.training``) so that either ``config.train = False``
  or PyTorch's ``module.eval()`` alone gives inference behaviour.
- ``enable_backprop`` (``True``): deliberately *not* stored here but mapped
  onto PyTorch's own thread-local grad mode (``torch.is_grad_enabled``), so
  ``using_config('enable_backprop', False)`` and ``torch.no_grad()`` are the
  same switch.
- ``cudnn_deterministic`` (``False``): mapped onto
  ``torch.backends.cudnn.deterministic`` when set.
- ``dtype`` (``numpy.float32``): default dtype of new parameters.
- ``debug``, ``type_check``, ``use_cudnn`` (``'auto'``), ``autotune``,
  ``keep_graph_on_report``, ``use_ideep``, ``lazy_grad_sum``,
  ``schedule_func``: accepted and stored for compatibility.
"""

import contextlib
import threading

import numpy
import torch


class GlobalConfig:
    """Process-wide default values of the configuration entries."""

    def __init__(self):
        self.train = True
        self.debug = False
        self.type_check = True
        self.use_cudnn = 'auto'
        self.cudnn_deterministic = False
        self.autotune = False
        self.use_ideep = 'never'
        self.keep_graph_on_report = False
        self.lazy_grad_sum = False
        self.dtype = numpy.dtype(numpy.float32)
        self.use_static_graph = True
        self.compute_mode = None

    def show(self, file=None):
        """Print all entries, one ``name value`` pair a line."""
        for name in sorted(vars(self)):
            print('{:<24}{}'.format(name, getattr(self, name)), file=file)


def _set_torch_mapped(name, value):
    if name == 'enable_backprop':
        torch.set_grad_enabled(bool(value))
    elif name == 'cudnn_deterministic':
        torch.backends.cudnn.deterministic = bool(value)


class LocalConfig:
    """Thread-local view of a :class:`GlobalConfig` (Chainer's ``config``).

    Reads avoid ``object.__getattribute__`` tricks so that ``torch.compile``
    traces ``config.train`` without a graph break (and guards on it).
    """

    def __init__(self, global_config):
        self.__dict__['_global'] = global_config
        self.__dict__['_local'] = threading.local()

    def __getattr__(self, name):
        if name == 'enable_backprop':
            return torch.is_grad_enabled()
        local = self.__dict__['_local']
        if hasattr(local, name):
            return getattr(local, name)
        return getattr(self.__dict__['_global'], name)

    def __setattr__(self, name, value):
        _set_torch_mapped(name, value)
        if name != 'enable_backprop':
            setattr(self._local, name, value)

    def __delattr__(self, name):
        delattr(self._local, name)

    def show(self, file=None):
        """Print the effective value of every entry."""
        names = set(vars(self._global)) | set(vars(self._local))
        names.add('enable_backprop')
        for name in sorted(names):
            print('{:<24}{}'.format(name, getattr(self, name)), file=file)


global_config = GlobalConfig()
config = LocalConfig(global_config)

_MISSING = object()


@contextlib.contextmanager
def using_config(name, value, config=config):
    """Temporarily set ``config.<name> = value`` in this thread.

    >>> import chainvision
    >>> with chainvision.using_config('train', False):  # inference behaviour
    ...     chainvision.config.train
    False
    >>> chainvision.config.train
    True
    """
    if name == 'enable_backprop':
        previous = torch.is_grad_enabled()
    else:
        previous = getattr(config._local, name, _MISSING)
    setattr(config, name, value)
    try:
        yield
    finally:
        if name == 'enable_backprop':
            torch.set_grad_enabled(previous)
        elif previous is _MISSING:
            delattr(config, name)
            # Any name is allowed (as in Chainer), so the global may lack it.
            _set_torch_mapped(name, getattr(config, name, None))
        else:
            setattr(config, name, previous)


class _Mixed16:
    """The type of :data:`mixed16`."""

    dtype = numpy.dtype(numpy.float16)

    def __repr__(self):
        return "dtype('mixed16')"


mixed16 = _Mixed16()
"""Chainer's dtype-like marker for 16/32-bit mixed precision: with
``config.dtype = mixed16``, :func:`get_dtype` gives ``float16`` unless told
otherwise.  chainvision's links do not keep fp32 master weights; use
``torch.autocast`` for mixed precision."""


def get_dtype(dtype=None, map_mixed16=None):
    """Resolve a dtype the way Chainer's ``get_dtype`` does.

    Args:
        dtype: a dtype specifier (``numpy.float16``, ``'f8'``...), or ``None``
            for ``config.dtype`` (default ``float32``).
        map_mixed16: what :data:`mixed16` stands for (default ``float16``).

    Returns:
        numpy.dtype: e.g. ``get_dtype()`` is ``dtype('float32')`` by default
        and ``get_dtype('f8')`` is ``dtype('float64')``.
    """
    if dtype is None:
        dtype = config.dtype
    if dtype is mixed16 and map_mixed16 is not None:
        dtype = map_mixed16
    return numpy.dtype(dtype)


class DebugMode:
    """Context in which ``config.debug`` is ``debug`` in this thread
    (Chainer's ``DebugMode``).

    >>> import chainvision
    >>> with chainvision.DebugMode(True):
    ...     chainvision.is_debug()
    True
    """

    def __init__(self, debug):
        self._using = using_config('debug', debug)

    def __enter__(self):
        self._using.__enter__()

    def __exit__(self, *exc):
        return self._using.__exit__(*exc)


def set_debug(debug):
    """Set ``config.debug`` in this thread (Chainer's ``set_debug``)."""
    config.debug = debug


def get_compute_mode():
    """``config.compute_mode``: ``None`` unless set (Chainer's examples set
    ``'cudnn_fast'`` for channel-last convolutions; here it has no effect,
    see :mod:`chainvision.memory_layouts`)."""
    return config.compute_mode


def no_backprop_mode():
    """Context in which no computational graph is recorded (``torch.no_grad``)."""
    return using_config('enable_backprop', False)


def force_backprop_mode():
    """Context in which the graph is recorded even inside ``no_backprop_mode``."""
    return using_config('enable_backprop', True)


def is_train(link=None):
    """Whether training behaviour applies: ``config.train`` and, given a
    ``torch.nn.Module``, also its ``training`` flag (``module.eval()``)."""
    return bool(config.train) and (link is None or link.training)


def is_debug():
    """Whether ``config.debug`` is on."""
    return bool(config.debug)
