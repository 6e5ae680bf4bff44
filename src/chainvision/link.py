"""``Link``, ``Chain``, ``ChainList`` and ``Parameter``: Chainer's building
blocks of models, each a ``torch.nn.Module``.

A Chainer model runs here after changing only its imports::

    class MLP(chainvision.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(None, 100)    # input size inferred lazily
                self.l2 = L.Linear(100, 10)

        def forward(self, x):
            return self.l2(F.relu(self.l1(x)))

Deliberate differences from Chainer, all in the direction of PyTorch:

- Parameters and links are registered whether or not they are assigned
  inside ``init_scope()`` (PyTorch's rule, so ``torch.nn`` layers assigned in
  ``__init__`` work too).  ``init_scope()`` is still provided and sets
  ``within_init_scope``.
- Parameters are ``torch.nn.Parameter``; a parameter whose shape is not yet
  known is a ``torch.nn.UninitializedParameter`` until the first forward
  pass (or a loaded file) fixes its shape.
- ``xp`` is always ``numpy``: arrays on any device are tensors, and every
  function accepts NumPy arrays too.
"""

import contextlib
import copy as copy_module
import warnings

import numpy
import torch

from chainvision import backend
from chainvision import initializers as initializers_module
from chainvision.configuration import config


class _ParameterMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, torch.nn.Parameter)


class Parameter(metaclass=_ParameterMeta):
    """Create a ``torch.nn.Parameter`` the way Chainer's ``Parameter`` is made.

    Args:
        initializer: an initializer, a scalar, an array, or ``None``
            (:class:`~chainvision.initializers.NaN`, as Chainer does for a
            bare ``Parameter``).  An array with ``shape=None`` gives a
            parameter holding a copy of that array.
        shape (tuple or int or None): the shape; ``None`` makes an
            uninitialized parameter that :func:`initialize_param` fills later.
        name (str): ignored (PyTorch names parameters by attribute).

    Returns:
        torch.nn.Parameter, or torch.nn.UninitializedParameter whose
        ``initializer`` attribute is kept for the lazy initialization.

    ``isinstance(p, chainvision.Parameter)`` is true for every
    ``torch.nn.Parameter``.
    """

    def __new__(cls, initializer=None, shape=None, name=None):
        if isinstance(initializer, (numpy.ndarray, torch.Tensor)) and shape is None:
            data = torch.as_tensor(initializer).detach().clone()
            return torch.nn.Parameter(data)
        if initializer is None:
            initializer = initializers_module.NaN()
        initializer = initializers_module._get_initializer(initializer)
        if shape is None:
            param = torch.nn.UninitializedParameter()
            param.initializer = initializer
            return param
        if isinstance(shape, int):
            shape = (shape,)
        param = torch.nn.Parameter(initializers_module.generate_array(initializer, shape))
        param.initializer = initializer
        return param


def is_initialized(param):
    """Whether ``param`` has a shape and values (is not lazy)."""
    return not isinstance(param, torch.nn.parameter.UninitializedTensorMixin)


def initialize_param(param, shape, dtype=None, device=None):
    """Give an uninitialized parameter its shape and initial values.

    The values come from the initializer the parameter was created with.
    ``dtype`` defaults to the initializer's, else ``config.dtype``;
    ``device`` to the one the parameter was moved to.
    """
    initializer = getattr(param, 'initializer', None) or initializers_module.NaN()
    dtype = dtype or getattr(initializer, 'dtype', None) or config.dtype
    param.materialize(tuple(shape), device=device,
                      dtype=backend.torch_dtype(dtype))
    with torch.no_grad():
        initializer(param.data)
    return param


def chainer_path(name):
    """Chainer's path for a PyTorch qualified name: ``'predictor.conv1.W'``
    -> ``'/predictor/conv1/W'``; ``''`` (a module itself) -> ``'/'``.  The
    keys of npz files are these paths without the leading ``/``."""
    return '/' + name.replace('.', '/')


def named_params(module, include_uninit=True):
    """``(path, parameter)`` pairs of any ``torch.nn.Module``, paths as
    :func:`chainer_path` (``'/conv1/W'``); uninitialized parameters only
    if ``include_uninit``."""
    for name, param in module.named_parameters():
        if include_uninit or is_initialized(param):
            yield chainer_path(name), param


def named_links(module, skipself=False):
    """``(path, submodule)`` pairs of any ``torch.nn.Module``, paths as
    :func:`chainer_path`: ``('/', module)`` first (unless ``skipself``),
    then ``('/l1', ...)``, ``('/l1/bn', ...)``."""
    for name, child in module.named_modules():
        if name or not skipself:
            yield chainer_path(name), child


class Link(torch.nn.Module):
    """A model component with parameters: Chainer's ``Link`` as a
    ``torch.nn.Module``.

    Subclasses define ``forward``; calling the link calls it.  Parameters
    are declared with ``add_param`` or by assigning a :class:`Parameter`
    (usually inside ``init_scope()``); persistent values (saved but not
    trained, such as BatchNorm's running averages) with ``add_persistent``.
    """

    def __init__(self, **params):
        super().__init__()
        object.__setattr__(self, '_within_init_scope', False)
        object.__setattr__(self, '_scalar_persistents', [])
        for name, shape in params.items():
            self.add_param(name, shape)

    # -- declaring parameters and persistents ------------------------------

    @property
    def within_init_scope(self):
        """True inside ``with self.init_scope():``."""
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self):
        """Context in which parameters and links are assigned as attributes."""
        previous = self.within_init_scope
        object.__setattr__(self, '_within_init_scope', True)
        try:
            yield
        finally:
            object.__setattr__(self, '_within_init_scope', previous)

    def add_param(self, name, shape=None, dtype=numpy.float32, initializer=None):
        """Register a parameter ``name``; with ``shape=None`` it stays
        uninitialized until :func:`initialize_param` gives it a shape."""
        if name in self.__dict__ or name in self._parameters or name in self._modules:
            raise AttributeError(
                'cannot register a new parameter {!r}: the attribute already exists'.format(name))
        if initializer is None:
            initializer = initializers_module.NaN(dtype)
        initializer = initializers_module._get_initializer(initializer)
        if getattr(initializer, 'dtype', None) is None:
            initializer.dtype = dtype
        self.register_parameter(name, Parameter(initializer, shape))

    def add_persistent(self, name, value):
        """Register a persistent value: saved and loaded, never trained.

        Arrays and tensors become (persistent) buffers, so they follow the
        link across devices and appear in ``state_dict``; Python scalars stay
        plain attributes that the npz serializers save.
        """
        if hasattr(self, name) and name not in self._scalar_persistents:
            raise AttributeError(
                'cannot register a new persistent value {!r}: the attribute already exists'.format(
                    name))
        if isinstance(value, (numpy.ndarray, torch.Tensor)):
            self.register_buffer(name, torch.as_tensor(value))
        else:
            object.__setattr__(self, name, value)
            if name not in self._scalar_persistents:
                self._scalar_persistents.append(name)

    def register_persistent(self, name):
        """Mark the existing attribute ``name`` as persistent."""
        if not hasattr(self, name):
            raise AttributeError('cannot register a non-existent attribute {!r} as persistent'.format(
                name))
        value = getattr(self, name)
        delattr(self, name)
        self.add_persistent(name, value)

    def persistent_names(self):
        """Names of this link's own persistent values (buffers, then scalars)."""
        buffers = [n for n in self._buffers if n not in self._non_persistent_buffers_set]
        return buffers + list(self._scalar_persistents)

    def __delattr__(self, name):
        if name in getattr(self, '_scalar_persistents', ()):
            self._scalar_persistents.remove(name)
        super().__delattr__(name)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # A lazy parameter takes the shape of the tensor being loaded into it.
        for name, param in self._parameters.items():
            key = prefix + name
            if param is not None and not is_initialized(param) and key in state_dict:
                initialize_param(param, state_dict[key].shape, dtype=state_dict[key].dtype)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # -- iterating ---------------------------------------------------------

    def params(self, include_uninit=True):
        """Iterate over all parameters of this link and its descendants."""
        for _, param in self.namedparams(include_uninit):
            yield param

    def namedparams(self, include_uninit=True):
        """Iterate over ``(path, parameter)`` pairs; paths look like
        ``'/conv1/W'`` as in Chainer (and in npz files)."""
        return named_params(self, include_uninit)

    def links(self, skipself=False):
        """Iterate over this link (unless ``skipself``) and all descendants."""
        for _, link in self.namedlinks(skipself):
            yield link

    def namedlinks(self, skipself=False):
        """Iterate over ``(path, link)`` pairs: ``('/', self)``, ``('/l1', ...)``."""
        return named_links(self, skipself)

    def count_params(self):
        """Total number of parameter elements (uninitialized ones count 0,
        with a warning, as in Chainer)."""
        total = 0
        for path, param in self.namedparams():
            if is_initialized(param):
                total += param.numel()
            else:
                warnings.warn('Parameter {!r} has not been initialized: it counts as 0.'.format(
                    path))
        return total

    # -- gradients and updates ---------------------------------------------

    def cleargrads(self):
        """Set every parameter's gradient to ``None``."""
        for param in self.params():
            param.grad = None

    def zerograds(self):
        """Fill every (initialized) parameter's gradient with zeros.
        Deprecated in Chainer in favour of :meth:`cleargrads`."""
        warnings.warn('Link.zerograds is deprecated; use Link.cleargrads.', DeprecationWarning)
        for param in self.params(include_uninit=False):
            param.grad = torch.zeros_like(param)

    def addgrads(self, link):
        """Add the gradients of ``link``'s parameters (same structure) to ours."""
        theirs = dict(link.namedparams())
        for path, param in self.namedparams(include_uninit=False):
            other = theirs[path].grad
            if other is not None:
                param.grad = other.clone() if param.grad is None else param.grad + other

    def enable_update(self):
        """Let the optimizer update every parameter (``requires_grad``)."""
        for param in self.params():
            param.requires_grad_(True)

    def disable_update(self):
        """Freeze every parameter (``requires_grad = False``)."""
        for param in self.params():
            param.requires_grad_(False)

    @property
    def update_enabled(self):
        """True if any parameter is trainable."""
        return any(p.requires_grad for p in self.params())

    def copyparams(self, link, copy_persistent=True):
        """Copy the values of ``link``'s parameters (and persistent values)
        into this link's, matched by path."""
        theirs = dict(link.namedparams())
        with torch.no_grad():
            for path, param in self.namedparams():
                source = theirs[path]
                if not is_initialized(param):
                    initialize_param(param, source.shape, dtype=source.dtype)
                param.copy_(source)
        if copy_persistent:
            their_links = dict(named_links(link))
            for path, module in named_links(self):
                other = their_links[path]
                for name in _persistent_names(module):
                    value = getattr(other, name)
                    if isinstance(value, torch.Tensor):
                        with torch.no_grad():
                            getattr(module, name).copy_(value)
                    else:
                        setattr(module, name, copy_module.copy(value))

    def __deepcopy__(self, memo):
        """A deep copy that keeps each parameter's ``initializer``: PyTorch's
        parameter copies drop attributes, and without it a copied lazy
        parameter would initialize to NaN and ``copy(mode='init')`` could not
        re-initialize."""
        clone = copy_module._reconstruct(self, memo, *self.__reduce_ex__(4))
        for name, param in self._parameters.items():
            initializer = getattr(param, 'initializer', None)
            if initializer is not None:
                clone._parameters[name].initializer = copy_module.deepcopy(initializer, memo)
        return clone

    def copy(self, mode='share'):
        """Return a copy: ``'copy'`` (deep), ``'share'`` (a new link sharing
        parameter tensors) or ``'init'`` (deep, parameters re-initialized where
        their initializer is known)."""
        if mode == 'copy':
            return copy_module.deepcopy(self)
        if mode == 'share':
            shared = {id(t): t for t in list(self.parameters()) + list(self.buffers())}
            return copy_module.deepcopy(self, shared)
        if mode == 'init':
            clone = copy_module.deepcopy(self)
            with torch.no_grad():
                for param in clone.params(include_uninit=False):
                    initializer = getattr(param, 'initializer', None)
                    if initializer is not None:
                        initializer(param.data)
            return clone
        raise ValueError("mode must be 'copy', 'share' or 'init', got {!r}.".format(mode))

    def repeat(self, n_repeat, mode='init'):
        """Return a :class:`Sequential` of ``n_repeat`` copies of this link."""
        from chainvision.sequential import Sequential
        return Sequential(*[self.copy(mode) for _ in range(n_repeat)])

    # -- devices -----------------------------------------------------------

    @property
    def xp(self):
        """``numpy`` (see the module docstring)."""
        return numpy

    @property
    def device(self):
        """The :class:`~chainvision.backend.Device` of the first parameter or
        buffer (the CPU for a link that has none)."""
        for tensor in self.parameters():
            return backend.Device(tensor.device)
        for tensor in self.buffers():
            return backend.Device(tensor.device)
        return backend.Device('cpu')

    def to_device(self, device):
        """Move all parameters and buffers to ``device`` (any specifier:
        ``'cuda'``, ``'cuda:1'``, ``'@cupy:0'``, ``'@numpy'``, ``-1``, ``0``).
        Returns ``self``."""
        self.to(backend.get_device(device).torch_device)
        return self

    def to_gpu(self, device=None):
        """Move to ``cuda:device`` (default: the current CUDA device)."""
        if device is None:
            device = torch.cuda.current_device()
        return self.to_device(torch.device('cuda', int(device)))

    def to_cpu(self):
        """Move to the CPU."""
        return self.to_device('cpu')

    # -- serialization -----------------------------------------------------

    def serialize(self, serializer):
        """Save or load this link's parameters, persistent values and
        children through a Chainer-style serializer (see
        :mod:`chainvision.serializers`)."""
        serialize_module(self, serializer)


def _persistent_names(module):
    if isinstance(module, Link):
        return module.persistent_names()
    return [n for n in module._buffers if n not in module._non_persistent_buffers_set]


def serialize_module(module, serializer):
    """Serialize any ``torch.nn.Module`` (a Link or not) in Chainer's layout:
    its own parameters and persistent values under their names, each child
    under ``serializer[child_name]``.

    The serializer is called as ``serializer(name, value)``: ``value`` is a
    tensor, a Python scalar or ``None`` (an uninitialized parameter), and the
    call returns the value read (loading) or ``value`` (saving).  A loaded
    array for an uninitialized parameter initializes it with that shape.
    """
    for name, param in module._parameters.items():
        if param is None:
            continue
        if is_initialized(param):
            # detach(), not .data: a load is then an in-place write that the
            # version counter sees (caches of derived weights, such as
            # models.infer's, rely on it).
            serializer(name, param.detach())
        else:
            loaded = serializer(name, None)
            if loaded is not None:
                loaded = torch.as_tensor(numpy.asarray(loaded))
                initialize_param(param, loaded.shape, dtype=loaded.dtype)
                with torch.no_grad():
                    param.copy_(loaded)
    for name in _persistent_names(module):
        value = getattr(module, name)
        if isinstance(value, torch.Tensor):
            serializer(name, value)
        elif value is None and name in module._buffers:
            loaded = serializer(name, None)
            if loaded is not None:
                module._buffers[name] = torch.as_tensor(numpy.asarray(loaded))
        else:
            object.__setattr__(module, name, serializer(name, value))
    for name, child in module._modules.items():
        if child is None:
            continue
        if hasattr(child, 'serialize') and isinstance(child, Link):
            child.serialize(serializer[name])
        else:
            serialize_module(child, serializer[name])


class Chain(Link):
    """A link made of child links, registered as attributes.

    ``Chain(**links)`` registers the given links under their keyword names.
    """

    def __init__(self, **links):
        super().__init__()
        with self.init_scope():
            for name, link in links.items():
                setattr(self, name, link)

    def __getitem__(self, name):
        """Return the child link called ``name``."""
        return getattr(self, name)

    def add_link(self, name, link):
        """Register ``link`` as the child ``name``."""
        if name in self.__dict__ or name in self._modules or name in self._parameters:
            raise AttributeError(
                'cannot register a new link {!r}: the attribute already exists'.format(name))
        self.add_module(name, link)


class ChainList(Link):
    """A link made of an ordered list of child links, named ``'0'``,
    ``'1'``, ... (so their parameters are ``/0/W``, ``/1/W``...).

    ``ChainList(*links)``; ``add_link``/``append``, indexing, ``len`` and
    iteration work as on a list.
    """

    def __init__(self, *links):
        super().__init__()
        for link in links:
            self.add_link(link)

    def add_link(self, link):
        """Append ``link`` as the next child."""
        self.add_module(str(len(self._modules)), link)

    def append(self, link):
        """Same as :meth:`add_link`."""
        self.add_link(link)

    def __getitem__(self, index):
        children = list(self._modules.values())
        return children[index]

    def __setitem__(self, index, link):
        names = list(self._modules)
        self._modules[names[index]] = link

    def __iter__(self):
        return iter(self._modules.values())

    def __len__(self):
        return len(self._modules)
