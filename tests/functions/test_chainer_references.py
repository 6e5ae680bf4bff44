"""F functions against real Chainer 7.8.1: outputs and gradients of the calls
in chainer_cases.py, on the inputs Chainer saw (data/chainer_function_references.npz,
written by data/make_chainer_function_references.py)."""

import pathlib
import warnings

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F

from .chainer_cases import CASES

REFERENCES = numpy.load(pathlib.Path(__file__).parent / 'data' / 'chainer_function_references.npz')


def _outputs(y):
    return y if isinstance(y, tuple) else (y,)


@pytest.mark.parametrize('name', sorted(CASES))
def test_matches_chainer(name):
    case = CASES[name]
    inputs = [REFERENCES['{}/in{}'.format(name, k)] for k in range(len(case.inputs))]
    # Tensors throughout: `tensor + ndarray` fails in PyTorch when the tensor
    # requires grad, and the cases add fixed arrays to variables.
    args = [torch.tensor(x, requires_grad=case.grad and spec.kind == 'u')
            for spec, x in zip(case.inputs, inputs)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)  # batch_matmul says it is deprecated
        outputs = _outputs(case.call(chainvision, F, *args))
    for k, y in enumerate(outputs):
        expected = REFERENCES['{}/out{}'.format(name, k)]
        got = y.detach().cpu().numpy()
        assert got.shape == expected.shape, (name, k)
        numpy.testing.assert_allclose(got, expected, rtol=case.rtol, atol=case.atol,
                                      equal_nan=True, err_msg='{} output {}'.format(name, k))
    if not case.grad:
        return
    loss = sum((y * torch.as_tensor(REFERENCES['{}/gy{}'.format(name, k)])).sum()
               for k, y in enumerate(outputs))
    loss.backward()
    for k, (spec, x) in enumerate(zip(case.inputs, args)):
        if spec.kind == 'u':
            numpy.testing.assert_allclose(
                x.grad.numpy(), REFERENCES['{}/grad{}'.format(name, k)], rtol=case.rtol,
                atol=max(case.atol, 1e-5), err_msg='{} gradient {}'.format(name, k))
