"""NumPy arrays as operands of tensors, as Chainer's variables take them.

Chainer code mixes variables with NumPy arrays: Chainer's DCGAN example adds
``sigma * numpy.random.randn(*h.shape)`` to a variable, tests multiply outputs
by NumPy weights.  PyTorch hands ``tensor + ndarray`` to NumPy, which cannot
convert a tensor that requires grad, so the expression fails.

Importing chainvision gives ``torch.Tensor`` NumPy's ``__array_ufunc__``
protocol: a NumPy arithmetic, comparison or elementwise ufunc with a tensor
operand runs as the PyTorch operation, on the tensor's device and
differentiably.  As Chainer casts a constant to its variable's dtype, array
and scalar operands of a floating-point tensor take that tensor's dtype
(``float32 tensor + float64 array`` is float32).  Any other ufunc or ufunc
method (``numpy.add.reduce``, ``out=``) computes in NumPy on the tensors'
values and returns a tensor, as before this protocol (PyTorch's
``__array_wrap__``), and refuses tensors that require grad.

It also gives ``torch.Tensor`` the ``__array_function__`` protocol for
NumPy's reductions (``numpy.sum(y.array, axis=1)``, ``mean``, ``max``,
``min``, ``prod``, ``all``, ``any``, ``std``, ``var``) and ``numpy.repeat``:
NumPy implements them by calling the tensor's method of that name with
NumPy's keywords (``t.sum(axis=1, out=None)``), which PyTorch rejects, or with
another meaning (``Tensor.repeat`` tiles).  They compute in NumPy on the
tensors' values and return NumPy results, as Chainer's CPU arrays give, and
refuse tensors that require grad.  Every other NumPy function runs as it did
without the protocol.
"""

import numpy
import torch

_TORCH_UFUNCS = {
    numpy.add: torch.add, numpy.subtract: torch.sub, numpy.multiply: torch.mul,
    numpy.true_divide: torch.div, numpy.floor_divide: torch.floor_divide,
    numpy.power: torch.pow, numpy.matmul: torch.matmul, numpy.negative: torch.neg,
    numpy.positive: torch.positive, numpy.absolute: torch.abs,
    numpy.maximum: torch.maximum, numpy.minimum: torch.minimum,
    numpy.equal: torch.eq, numpy.not_equal: torch.ne, numpy.less: torch.lt,
    numpy.less_equal: torch.le, numpy.greater: torch.gt, numpy.greater_equal: torch.ge,
    numpy.exp: torch.exp, numpy.log: torch.log, numpy.sqrt: torch.sqrt,
    numpy.square: torch.square, numpy.tanh: torch.tanh, numpy.sin: torch.sin,
    numpy.cos: torch.cos,
}


def _as_operand(value, like):
    """``value`` as a tensor beside the tensor ``like``: on its device and, for a
    floating-point ``like``, in its dtype."""
    if isinstance(value, torch.Tensor):
        return value
    tensor = torch.as_tensor(numpy.asarray(value), device=like.device)
    return tensor.to(like.dtype) if like.is_floating_point() else tensor


def _as_numpy(value):
    """A tensor as a NumPy array (sharing its memory on the CPU); anything else as it is."""
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value


def _refuse_graph(name, values):
    if any(isinstance(x, torch.Tensor) and x.requires_grad for x in values):
        raise TypeError('numpy.{} cannot differentiate through a tensor that requires grad; '
                        'use the chainvision.functions or torch function, or pass '
                        'tensor.array.'.format(name))


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    function = _TORCH_UFUNCS.get(ufunc)
    if method == '__call__' and function is not None and not kwargs:
        like = next(x for x in inputs if isinstance(x, torch.Tensor))
        return function(*(_as_operand(x, like) for x in inputs))
    _refuse_graph('{}.{}'.format(ufunc.__name__, method), inputs)
    result = getattr(ufunc, method)(*(_as_numpy(x) for x in inputs), **kwargs)
    if isinstance(result, tuple):
        return tuple(torch.as_tensor(r) if isinstance(r, numpy.ndarray) else r for r in result)
    return torch.as_tensor(result) if isinstance(result, numpy.ndarray) else result


# NumPy functions that call the tensor's method of their name: see the module docstring.
_NUMPY_COMPUTED = frozenset([
    numpy.sum, numpy.prod, numpy.max, numpy.amax, numpy.min, numpy.amin, numpy.all,
    numpy.any, numpy.mean, numpy.std, numpy.var, numpy.repeat,
])


def _array_function(self, func, types, args, kwargs):
    if func not in _NUMPY_COMPUTED:
        return func._implementation(*args, **kwargs)  # NumPy without the protocol
    _refuse_graph(func.__name__, list(args) + list(kwargs.values()))
    return func(*(_as_numpy(x) for x in args), **{key: _as_numpy(v) for key, v in kwargs.items()})


def install():
    """Give ``torch.Tensor`` the ``__array_ufunc__`` and ``__array_function__``
    protocols (idempotent; PyTorch defines neither)."""
    if '__array_ufunc__' not in vars(torch.Tensor):
        torch.Tensor.__array_ufunc__ = _array_ufunc
    if '__array_function__' not in vars(torch.Tensor):
        torch.Tensor.__array_function__ = _array_function
