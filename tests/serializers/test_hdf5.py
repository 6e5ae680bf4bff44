"""save_hdf5/load_hdf5: Chainer's group layout, files written by real Chainer
7.8.1 (tests/serializers/data, made by make_chainer_files.py), None, strictness.
Skipped without h5py (the optional ``hdf5`` extra)."""

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import optimizers, serializers

from chainer_net import DATA, Net

try:
    import h5py
except ImportError:
    h5py = None

requires_h5py = pytest.mark.skipif(h5py is None, reason='needs h5py (the hdf5 extra)')


def _layout(path):
    entries = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            entries[name] = (obj.shape, obj.compression)
    with h5py.File(path, 'r') as f:
        f.visititems(visit)
    return entries


@requires_h5py
def test_a_model_saved_by_chainer_loads_and_gives_chainers_output():
    reference = numpy.load(DATA / 'chainer_reference.npz')
    model = Net()
    serializers.load_hdf5(DATA / 'chainer_model.h5', model)
    with chainvision.using_config('train', False):
        y = model(reference['x'])
    numpy.testing.assert_allclose(y.detach().numpy(), reference['y_eval'], rtol=1e-5, atol=1e-6)


@requires_h5py
def test_our_files_have_chainers_layout(tmp_path):
    # The layout of Chainer's file for the same network: groups per link, gzip
    # for arrays with more than one element, none for scalars.
    model = Net()
    serializers.load_hdf5(DATA / 'chainer_model.h5', model)
    serializers.save_hdf5(tmp_path / 'ours.h5', model)
    assert _layout(tmp_path / 'ours.h5') == _layout(DATA / 'chainer_model.h5')
    assert _layout(tmp_path / 'ours.h5')['bn/N'] == ((), None)


@requires_h5py
def test_round_trip_is_exact_with_optimizer_state(tmp_path):
    model = L.Classifier(Net())
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
    x = numpy.random.rand(4, 1, 6, 6).astype(numpy.float32)
    optimizer.update(model, x, numpy.array([0, 1, 2, 0], numpy.int32))
    model.predictor.bn.N = 7
    serializers.save_hdf5(tmp_path / 'model.h5', model)
    serializers.save_hdf5(tmp_path / 'optimizer.h5', optimizer)
    loaded = L.Classifier(Net())
    loaded_optimizer = optimizers.MomentumSGD(lr=0.1).setup(loaded)
    serializers.load_hdf5(tmp_path / 'model.h5', loaded)
    serializers.load_hdf5(tmp_path / 'optimizer.h5', loaded_optimizer)
    for (name, a), (_, b) in zip(model.namedparams(), loaded.namedparams()):
        assert torch.equal(a, b), name
    assert loaded.predictor.bn.N == 7 and loaded_optimizer.t == 1
    state = loaded_optimizer.target.predictor.conv.W.update_rule.state
    assert torch.equal(state['v'], optimizer.target.predictor.conv.W.update_rule.state['v'])


@requires_h5py
def test_uninitialized_parameters_are_empty_datasets_both_ways(tmp_path):
    model = chainvision.Chain(fc=L.Linear(None, 3))
    serializers.load_hdf5(DATA / 'chainer_uninitialized.h5', model)
    assert not chainvision.link.is_initialized(model.fc.W)
    serializers.save_hdf5(tmp_path / 'lazy.h5', model)
    assert _layout(tmp_path / 'lazy.h5') == _layout(DATA / 'chainer_uninitialized.h5')
    assert _layout(tmp_path / 'lazy.h5')['fc/W'] == (None, None)


@requires_h5py
def test_a_dictionary_of_arrays_is_saved_by_path(tmp_path):
    serializers.save_hdf5(tmp_path / 'd.h5', {'a/b': numpy.arange(3), '/c': numpy.float32(2)})
    with h5py.File(tmp_path / 'd.h5', 'r') as f:
        numpy.testing.assert_array_equal(f['a/b'][()], [0, 1, 2])
        assert f['c'][()] == 2


@requires_h5py
def test_missing_entries_and_shape_mismatch(tmp_path):
    serializers.save_hdf5(tmp_path / 'linear.h5', L.Linear(2, 3, nobias=True))
    with pytest.raises(KeyError, match="no dataset 'b' in group '/'"):
        serializers.load_hdf5(tmp_path / 'linear.h5', L.Linear(2, 3))
    with pytest.raises(ValueError, match='Inexistent group'):
        serializers.load_hdf5(tmp_path / 'linear.h5', chainvision.Chain(l=L.Linear(2, 3)))
    with pytest.raises(ValueError, match='shape'):
        serializers.load_hdf5(tmp_path / 'linear.h5', L.Linear(2, 4, nobias=True))
    with h5py.File(tmp_path / 'linear.h5', 'r') as f:
        lenient = serializers.HDF5Deserializer(f, strict=False)
        assert lenient['missing']('W', 5) == 5
        assert lenient('nothing', 'kept') == 'kept'


def test_without_h5py_each_name_says_what_to_install(monkeypatch):
    monkeypatch.setattr(serializers.hdf5, 'h5py', None)
    with pytest.raises(RuntimeError, match='pip install h5py'):
        serializers.save_hdf5('never-written.h5', L.Linear(2, 3))
    with pytest.raises(RuntimeError, match='chainvision\\[hdf5\\]'):
        serializers.HDF5Deserializer(None)
