"""``FunctionNode``: user-defined differentiable functions in Chainer's style,
run by ``torch.autograd``; and ``grad``, Chainer's gradient function.

A subclass defines ``forward(inputs)`` on arrays and
``backward(target_input_indexes, grad_outputs)`` on tensors::

    class Square(chainvision.FunctionNode):
        def forward(self, inputs):
            x, = inputs
            self.retain_inputs((0,))
            return x * x,

        def backward(self, indexes, grad_outputs):
            x, = self.get_retained_inputs()
            gy, = grad_outputs
            return 2 * x * gy,

    y, = Square().apply((x,))

``forward`` sees NumPy arrays when the inputs are on the CPU (so NumPy code
written for Chainer works unchanged) and tensors on any other device
(CuPy code must be rewritten with torch operations).  ``backward`` works on
tensors; written with differentiable operations (``F`` functions, tensor
arithmetic), it makes the function twice differentiable.
"""

import warnings

import numpy
import torch

from chainvision.backend import as_tensor, as_tensors


def to_forward_arrays(tensors):
    """The arrays that a Chainer ``forward`` sees: NumPy arrays for CPU
    tensors (sharing memory), detached tensors elsewhere."""
    return tuple(t.detach().numpy() if t.device.type == 'cpu' else t.detach() for t in tensors)


def to_tensors(arrays, device, what):
    """Convert the arrays a user's ``forward``/``backward`` returned into
    tensors on ``device``; ``None`` stays ``None``."""
    if not isinstance(arrays, (tuple, list)):
        raise TypeError('{} must return a tuple of arrays, got {}; write `return y,` '
                        'for a single output.'.format(what, type(arrays).__name__))
    return tuple(None if a is None else as_tensor(numpy.asarray(a) if numpy.isscalar(a) else a)
                 .to(device) for a in arrays)


class _NodeFunction(torch.autograd.Function):
    """Runs a FunctionNode's forward and backward inside autograd."""

    @staticmethod
    def forward(ctx, node, *inputs):
        ctx.set_materialize_grads(False)
        ctx.node = node
        outputs = to_tensors(node.forward(to_forward_arrays(inputs)), inputs[0].device,
                             node.label + '.forward')
        ctx.mark_non_differentiable(*[y for y in outputs if not y.is_floating_point()])
        ctx.save_for_backward(*[inputs[i] for i in node._input_indexes_to_retain],
                              *[outputs[i] for i in node._output_indexes_to_retain])
        return outputs

    @staticmethod
    def backward(ctx, *grad_outputs):
        node = ctx.node
        needs_grad = ctx.needs_input_grad[1:]
        if all(gy is None for gy in grad_outputs):
            # Chainer never calls backward without any output gradient.
            return (None,) * (1 + len(needs_grad))
        saved = ctx.saved_tensors
        n_retained_inputs = len(node._input_indexes_to_retain)
        node._retained_inputs = saved[:n_retained_inputs]
        node._retained_outputs = saved[n_retained_inputs:]
        targets = tuple(i for i, need in enumerate(needs_grad) if need)
        grads = node.backward(targets, grad_outputs)
        grads = to_tensors(grads, _first_device(grad_outputs, saved),
                           node.label + '.backward')
        if len(grads) == len(needs_grad):
            grads = tuple(grads[i] for i in targets)
        elif len(grads) != len(targets):
            raise ValueError(
                '{}.backward returned {} gradients; expected one per input ({}) or one per '
                'target input index ({}).'.format(node.label, len(grads),
                                                  len(needs_grad), len(targets)))
        full = [None] * len(needs_grad)
        for i, g in zip(targets, grads):
            full[i] = g
        return (None, *full)


def _first_device(grad_outputs, saved):
    """The device of the first available tensor (where returned NumPy
    gradients are put)."""
    for t in tuple(grad_outputs) + tuple(saved):
        if t is not None:
            return t.device
    return torch.device('cpu')


class ForwardDispatch:
    """``label`` and the ``forward`` that Chainer's ``FunctionNode`` and
    ``Function`` share: ``forward_cpu`` for NumPy arrays, ``forward_gpu``
    for tensors (inputs on any other device)."""

    @property
    def label(self):
        """Short name of the function (the class name)."""
        return type(self).__name__

    def forward(self, inputs):
        """Compute the outputs from the input arrays: calls ``forward_cpu``
        for NumPy arrays and ``forward_gpu`` for tensors."""
        if isinstance(inputs[0], numpy.ndarray):
            return self.forward_cpu(inputs)
        return self.forward_gpu(inputs)

    def forward_cpu(self, inputs):
        """Forward on NumPy arrays; override this or ``forward``."""
        raise NotImplementedError('{} defines neither forward nor forward_cpu.'.format(self.label))

    def forward_gpu(self, inputs):
        """Forward on (CUDA) tensors; override this or ``forward``."""
        raise NotImplementedError(
            '{} defines neither forward nor forward_gpu (inputs on {} are tensors).'.format(
                self.label, inputs[0].device))


class FunctionNode(ForwardDispatch):
    """Base class of differentiable functions written Chainer's new way.

    Override ``forward(inputs)`` (or ``forward_cpu``/``forward_gpu``),
    returning a tuple of arrays, and ``backward(target_input_indexes,
    grad_outputs)``, returning a tuple of tensors (``None`` for no
    gradient) either for every input or for the target indexes only.
    ``grad_outputs`` holds ``None`` for outputs that received no gradient.

    A node is applied once: create a new instance for every call, as in
    Chainer.  Not supported: ``check_type_forward`` (never called),
    ``self.inputs``/``self.outputs`` (store what backward needs in
    ``forward`` or retain it), function hooks.
    """

    def __init__(self):
        self._input_indexes_to_retain = ()
        self._output_indexes_to_retain = ()
        self._retained_inputs = None
        self._retained_outputs = None

    def apply(self, inputs):
        """Apply the function to ``inputs`` (tensors or arrays; NumPy ones join
        the device of the first tensor).

        Returns:
            tuple of torch.Tensor: the outputs, connected to the graph when an
            input requires grad.
        """
        if not isinstance(inputs, (tuple, list)):
            raise TypeError('{0}.apply takes a tuple of inputs, got {1}: write '
                            '{0}().apply((x,)).'.format(self.label, type(inputs).__name__))
        inputs = as_tensors(*inputs)
        if not inputs:
            raise ValueError('{}.apply needs at least one input.'.format(self.label))
        return _NodeFunction.apply(self, *inputs)

    def backward(self, target_input_indexes, grad_outputs):
        """Return the gradients of the inputs as tensors; override this."""
        raise NotImplementedError('{} does not define backward.'.format(self.label))

    def retain_inputs(self, indexes):
        """In ``forward``: keep the inputs at ``indexes`` for backward."""
        self._input_indexes_to_retain = tuple(indexes)

    def retain_outputs(self, indexes):
        """In ``forward``: keep the outputs at ``indexes`` for backward."""
        self._output_indexes_to_retain = tuple(indexes)

    def get_retained_inputs(self):
        """In ``backward``: the retained inputs, as tensors in the order given
        to :meth:`retain_inputs` (differentiable, for double backprop)."""
        return self._retained_in_backward(self._retained_inputs, 'inputs')

    def get_retained_outputs(self):
        """In ``backward``: the retained outputs, as tensors in the order
        given to :meth:`retain_outputs`."""
        return self._retained_in_backward(self._retained_outputs, 'outputs')

    def _retained_in_backward(self, retained, what):
        if retained is None:
            raise RuntimeError('get_retained_{} can only be called in backward.'.format(what))
        return retained


def _check_sequence(name, values, expected_length=None):
    if not isinstance(values, (tuple, list)):
        raise TypeError('{} must be a tuple or a list, not {}.'.format(
            name, type(values).__name__))
    if expected_length is not None and len(values) != expected_length:
        raise ValueError('{} must have one entry per {} ({}), got {}.'.format(
            name, 'output' if name == 'grad_outputs' else 'input', expected_length, len(values)))


def _own_grad(tensor):
    # A gradient set by hand on a non-leaf output (Chainer's `y.grad = gy`):
    # reading it is intended, so PyTorch's warning about non-leaf .grad is not.
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='The .grad attribute of a Tensor that is not')
        return tensor.grad


def backward(outputs, grad_outputs=None, *, enable_double_backprop=False):
    """Backpropagate from several outputs at once (Chainer's ``backward``,
    by ``torch.autograd.backward``); gradients accumulate in the leaves'
    ``.grad``.

    Args:
        outputs (tuple or list of tensors): where backprop starts.
        grad_outputs (tuple or list, or None): the initial gradient of each
            output; ``None`` (or a ``None`` entry) takes the output's own
            ``.grad``.  An output with no gradient either way is skipped, as
            in Chainer (a scalar gets no implicit 1 here, unlike
            ``Variable.backward``).
        enable_double_backprop (bool): keep a graph of the gradients so
            they can be differentiated again.
    """
    _check_sequence('outputs', outputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    _check_sequence('grad_outputs', grad_outputs, len(outputs))
    pairs = [(y, as_tensor(_own_grad(y) if gy is None else gy, y))
             for y, gy in zip(outputs, grad_outputs)
             if y.requires_grad and (gy is not None or _own_grad(y) is not None)]
    if pairs:
        torch.autograd.backward([y for y, _ in pairs], [gy for _, gy in pairs],
                                retain_graph=True, create_graph=enable_double_backprop)


def grad(outputs, inputs, grad_outputs=None, grad_inputs=None, set_grad=False,
         retain_grad=False, enable_double_backprop=False, loss_scale=None):
    """Gradients of ``outputs`` with respect to ``inputs`` (Chainer's ``grad``,
    computed by ``torch.autograd.grad``).

    Args:
        outputs (tuple or list of tensors): where backprop starts.
        inputs (tuple or list of tensors): what to differentiate by.
        grad_outputs: initial output gradients; ``None`` (or a ``None``
            entry) means ones of the output's shape.
        grad_inputs: values added to the computed input gradients.
        set_grad (bool): also store each result in the input's ``.grad``.
        retain_grad (bool): must be False (not supported; call
            ``retain_grad()`` on intermediate tensors before backward).
        enable_double_backprop (bool): build a graph of the gradients so
            they can be differentiated again.
        loss_scale (float): multiply the default (ones) output gradients.

    Returns:
        list: one gradient tensor per input; ``None`` where an input does not
        affect the outputs or does not require grad.

    The graph is kept after the call (as in Chainer), so ``backward`` or
    ``grad`` may run on it again.
    """
    _check_sequence('outputs', outputs)
    _check_sequence('inputs', inputs)
    if grad_outputs is not None:
        _check_sequence('grad_outputs', grad_outputs, len(outputs))
    if grad_inputs is not None:
        _check_sequence('grad_inputs', grad_inputs, len(inputs))
    if retain_grad:
        raise ValueError('grad(retain_grad=True) is not supported: call t.retain_grad() on the '
                         'intermediate tensors before computing gradients.')
    grad_outputs = grad_outputs or (None,) * len(outputs)
    pairs = [(y, _initial_grad(y, gy, loss_scale))
             for y, gy in zip(outputs, grad_outputs) if y.requires_grad]
    targets = [i for i, x in enumerate(inputs) if x.requires_grad]
    results = [None] * len(inputs)
    if pairs and targets:
        computed = torch.autograd.grad(
            [y for y, _ in pairs], [inputs[i] for i in targets], [gy for _, gy in pairs],
            retain_graph=True, create_graph=enable_double_backprop, allow_unused=True)
        for i, g in zip(targets, computed):
            results[i] = g
    if grad_inputs is not None:
        results = [_accumulate(g, gx) for g, gx in zip(results, grad_inputs)]
    if set_grad:
        for x, g in zip(inputs, results):
            x.grad = g
    return results


def _initial_grad(y, gy, loss_scale):
    if gy is not None:
        return as_tensor(gy, y)
    ones = torch.ones_like(y)
    return ones if loss_scale is None else ones * loss_scale


def _accumulate(g, gx):
    if gx is None:
        return g
    gx = as_tensor(gx)
    return gx if g is None else g + gx
