"""The Chainer 7.8.1 API coverage table (tools/chainer_api_coverage.py) is complete:
every public name of Chainer is either in chainvision or left out with a reason."""
import importlib.util
import pathlib

import pytest

TOOL = pathlib.Path(__file__).resolve().parent.parent / 'tools' / 'chainer_api_coverage.py'


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('chainer_api_coverage', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_chainer_name_is_provided_or_has_a_reason(tool):
    rows, problems, _ = tool.coverage()
    assert problems == []
    assert len(rows) == len(tool.read_names())


def test_names_the_issue_asked_for_are_provided(tool):
    rows, _, _ = tool.coverage()
    status = {name: state for name, _, state, _ in rows}
    for name in ('chainer.get_dtype', 'chainer.using_device', 'chainer.memory_layouts',
                 'chainer.static_graph', 'chainer.static_code', 'chainer.kl_divergence',
                 'chainer.backend.ChainerxDevice', 'chainer.optimizer.WeightDecay',
                 'chainer.functions.binary_accuracy', 'chainer.functions.copy',
                 'chainer.links.Inception', 'chainer.links.InceptionBN',
                 'chainer.distributions.Normal', 'chainer.distributions.Bernoulli',
                 'chainer.distributions.Independent', 'chainer.serializers.save_hdf5',
                 'chainer.serializers.load_hdf5'):
        assert status[name] == 'provided', name


def test_markdown_table_counts_every_name_once(tool):
    rows, _, _ = tool.coverage()
    text = tool.markdown(rows)
    assert '| total | {} | |'.format(len(rows)) in text
    assert text.count('\n| `') == len(rows)
