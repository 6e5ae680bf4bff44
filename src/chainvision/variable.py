"""``Variable``: in chainvision every variable is a ``torch.Tensor``.

Chainer wraps arrays in ``Variable`` objects that record the graph; PyTorch
tensors already do that, so ``Variable(x)`` returns a tensor and
``isinstance(t, chainvision.Variable)`` is true for every tensor.  The
attributes Chainer code uses most map as follows: ``v.data`` and ``v.grad``
are the tensor's own; ``v.array`` is the data without the graph
(``v.detach()``: importing chainvision adds that property to
``torch.Tensor``, see :mod:`chainvision._tensor_array`), and assigning to it
replaces the data; ``v.backward()`` needs a scalar or ``v.grad`` set, as in
Chainer.

>>> import numpy, chainvision
>>> v = chainvision.Variable(numpy.ones(2, dtype=numpy.float32))
>>> isinstance(v, torch.Tensor), v.requires_grad, v.array.requires_grad
(True, True, False)
"""

import torch

from chainvision.backend import as_tensor


class _VariableMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, torch.Tensor)


class Variable(metaclass=_VariableMeta):
    """Make a leaf tensor the way Chainer makes a ``Variable``.

    Args:
        data: a NumPy array or tensor (shared, not copied, where PyTorch
            allows it; a tensor is detached from its graph, as
            ``Variable(v.array)`` is in Chainer).
        name (str or None): accepted and ignored (``torch.Tensor.name`` is
            read-only, as ``Parameter``'s name is ignored too).
        grad: initial gradient (same shape), stored in ``.grad``.
        requires_grad (bool): default True.  Integer and boolean tensors
            never require grad (PyTorch's rule; Chainer ignores the flag).

    Returns:
        torch.Tensor.

    Raises:
        ValueError: for ``data=None``: a tensor always has data; use
            ``chainvision.Parameter(initializer)`` for a parameter whose
            shape is fixed later.
    """

    def __new__(cls, data=None, name=None, grad=None, requires_grad=True):
        if data is None:
            raise ValueError(
                'Variable(None) is not supported: a torch.Tensor always holds data. '
                'Pass an array, or use chainvision.Parameter(initializer) for a lazily '
                'shaped parameter.')
        tensor = as_tensor(data).detach()
        tensor.requires_grad_(requires_grad and (tensor.is_floating_point() or tensor.is_complex()))
        if grad is not None:
            tensor.grad = as_tensor(grad, tensor)
        return tensor


def as_variable(obj):
    """Return ``obj`` if it is a tensor; otherwise a tensor of it that does
    not require grad (Chainer's ``as_variable``)."""
    if isinstance(obj, torch.Tensor):
        return obj
    return Variable(obj, requires_grad=False)


def as_array(obj):
    """Return the data of ``obj`` without its graph: a tensor is detached
    (it stays a tensor on its device; Chainer returns the raw array), any
    other object is returned as is."""
    if isinstance(obj, torch.Tensor):
        return obj.detach()
    return obj
