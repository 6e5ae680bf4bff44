"""The README's Python listings that need no data, weights or minutes run as
written and print what their comments say, so the tour cannot drift from the
code (the others are exercised by the tests of what they call)."""

import os
import re

import pytest
import torch

README = os.path.join(os.path.dirname(__file__), os.pardir, 'README.md')


def _listings():
    with open(README) as f:
        return re.findall(r'```python\n(.*?)```', f.read(), re.S)


def _listing(first_line):
    found = [code for code in _listings() if code.startswith(first_line)]
    assert len(found) == 1, 'the README has no single listing starting {!r}'.format(first_line)
    return found[0]


def test_the_chainer_listing_runs_after_changing_its_imports(capsys):
    code = _listing('import numpy as np\nimport chainvision as chainer')
    exec(compile(code, 'README.md', 'exec'), {})
    printed = capsys.readouterr().out
    # print(loss.array, [...][:2]): a positive loss, then the first two parameter paths.
    loss, names = re.fullmatch(r'tensor\((\S+)\) (\[.*\])\n', printed).groups()
    assert float(loss) > 0
    assert names == "['/predictor/conv1/W', '/predictor/conv1/b']"


def test_the_zoo_listing_runs_and_its_figure_holds():
    code = _listing('from chainvision import models')
    namespace = {}
    exec(compile(code, 'README.md', 'exec'), namespace)
    assert namespace['net'](torch.zeros(2, 3, 32, 32)).shape == (2, 100)
    claimed = float(re.search(r'# (\S+) multiply-adds', code).group(1))
    assert namespace['models'].info('resnet50').macs == pytest.approx(claimed, rel=5e-3)
