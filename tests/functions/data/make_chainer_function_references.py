"""Writes chainer_function_references.npz with real Chainer 7.8.1.

Run by hand, from the repository root, in an environment that has Chainer
(and SciPy, which Chainer's special functions use on the CPU):
    python tests/functions/data/make_chainer_function_references.py
The tests only read the file; they never import Chainer.
"""
import os
import sys
import warnings
import zlib

import chainer
import chainer.functions as F
import numpy

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from chainer_cases import CASES, draw  # noqa: E402


def _outputs(y):
    return y if isinstance(y, tuple) else (y,)


def main():
    warnings.simplefilter('ignore')
    arrays = {}
    for name, case in sorted(CASES.items()):
        rng = numpy.random.RandomState(zlib.crc32(name.encode()))
        inputs = [draw(spec, rng) for spec in case.inputs]
        args = [chainer.Variable(x) if spec.kind == 'u' else x
                for spec, x in zip(case.inputs, inputs)]
        for k, x in enumerate(inputs):  # copies: some calls update their inputs in place
            arrays['{}/in{}'.format(name, k)] = numpy.array(x)
        outputs = _outputs(case.call(chainer, F, *args))
        for k, y in enumerate(outputs):
            arrays['{}/out{}'.format(name, k)] = numpy.asarray(chainer.as_array(y))
        if case.grad:
            loss = 0
            for k, y in enumerate(outputs):
                gy = rng.standard_normal(y.shape).astype(y.dtype)
                arrays['{}/gy{}'.format(name, k)] = gy
                loss = loss + F.sum(y * gy)
            loss.backward()
            for k, (spec, x) in enumerate(zip(case.inputs, args)):
                if spec.kind == 'u':
                    arrays['{}/grad{}'.format(name, k)] = x.grad
    numpy.savez_compressed(os.path.join(os.path.dirname(__file__),
                                        'chainer_function_references.npz'), **arrays)
    print('{} cases written'.format(len(CASES)))


if __name__ == '__main__':
    main()
