"""``Function``: Chainer's old-style differentiable function, whose
``backward`` works on arrays.

::

    class Mul(chainvision.Function):
        def forward(self, inputs):
            x, y = inputs
            return x * y,

        def backward(self, inputs, grad_outputs):
            x, y = inputs
            gz, = grad_outputs
            return gz * y, gz * x

    z = Mul()(x, y)

As in Chainer, the gradients it returns are constants: a graph through an
old-style function cannot be differentiated twice (write a
:class:`~chainvision.FunctionNode` for that).
"""

import numpy

from chainvision.function_node import ForwardDispatch, FunctionNode, to_forward_arrays


class _FunctionAdapter(FunctionNode):
    """The FunctionNode through which one call of a Function runs."""

    def __init__(self, function):
        super().__init__()
        self.function = function
        self._n_inputs = 0
        self._n_outputs = 0

    @property
    def label(self):
        return self.function.label

    def forward(self, inputs):
        self._n_inputs = len(inputs)
        self.retain_inputs(range(len(inputs)))
        outputs = self.function.forward(inputs)
        self._n_outputs = len(outputs)
        return outputs

    def backward(self, target_input_indexes, grad_outputs):
        in_data = [None] * self._n_inputs
        retained = to_forward_arrays(self.get_retained_inputs())
        for i, array in zip(self._input_indexes_to_retain, retained):
            in_data[i] = array
        out_grads = tuple(None if g is None else to_forward_arrays((g,))[0]
                          for g in grad_outputs)
        self.function._node = self
        gxs = self.function.backward(tuple(in_data), out_grads)
        if len(gxs) != self._n_inputs:
            raise ValueError('{}.backward must return one gradient per input ({}), got {}.'.format(
                self.label, self._n_inputs, len(gxs)))
        return tuple(gxs[i] for i in target_input_indexes)


class Function(ForwardDispatch):
    """Base class of old-style functions: ``forward(inputs)`` and
    ``backward(inputs, grad_outputs)`` both on arrays.

    Arrays are NumPy arrays for CPU inputs and tensors elsewhere.  By
    default every input is retained and passed to ``backward`` (``None``
    for inputs left out by :meth:`retain_inputs`); ``grad_outputs`` holds
    ``None`` for outputs that got no gradient.  ``backward`` returns one
    array (or ``None``) per input.

    Calling the function returns a tensor for a single output, else a tuple.
    Each call makes a new graph node, so one instance may be called again.
    """

    _node = None

    def __call__(self, *inputs):
        node = _FunctionAdapter(self)
        self._node = node
        outputs = node.apply(inputs)
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def output_data(self):
        """In ``backward``: a tuple with the retained output arrays at their
        positions and ``None`` elsewhere."""
        node = self._node
        if node is None or node._retained_outputs is None:
            raise RuntimeError('output_data is only available in backward.')
        data = [None] * node._n_outputs
        for i, array in zip(node._output_indexes_to_retain,
                            to_forward_arrays(node._retained_outputs)):
            data[i] = array
        return tuple(data)

    def backward(self, inputs, grad_outputs):
        """Return one gradient array per input: ``backward_cpu`` for NumPy
        arrays, ``backward_gpu`` for tensors."""
        arrays = [a for a in tuple(inputs) + tuple(grad_outputs) if a is not None]
        if arrays and not isinstance(arrays[0], numpy.ndarray):
            return self.backward_gpu(inputs, grad_outputs)
        return self.backward_cpu(inputs, grad_outputs)

    def backward_cpu(self, inputs, grad_outputs):
        """Default: no gradient for any input."""
        return (None,) * len(inputs)

    def backward_gpu(self, inputs, grad_outputs):
        """Default: no gradient for any input."""
        return (None,) * len(inputs)

    def retain_inputs(self, indexes):
        """In ``forward``: pass only the inputs at ``indexes`` to backward."""
        self._node.retain_inputs(indexes)

    def retain_outputs(self, indexes):
        """In ``forward``: keep the outputs at ``indexes`` for
        :attr:`output_data`."""
        self._node.retain_outputs(indexes)
