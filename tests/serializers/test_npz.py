"""save_npz/load_npz: Chainer's key layout, files written by real Chainer
7.8.1 (tests/serializers/data, made by make_chainer_files.py), strictness,
and refusing pickled content."""

import io
import os
import zipfile

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import optimizers, serializers

from chainer_net import DATA, Net


def test_keys_follow_chainers_layout():
    model = L.Classifier(Net())
    model(numpy.zeros((1, 1, 6, 6), numpy.float32), numpy.zeros(1, numpy.int32))
    assert set(serializers.serialize(model)) == {
        'predictor/conv/W', 'predictor/conv/b', 'predictor/bn/gamma', 'predictor/bn/beta',
        'predictor/bn/avg_mean', 'predictor/bn/avg_var', 'predictor/bn/N',
        'predictor/fc/W', 'predictor/fc/b'}


def test_a_model_saved_by_chainer_loads_and_gives_chainers_output():
    reference = numpy.load(DATA / 'chainer_reference.npz')
    model = Net()  # fc is lazy: the file gives it its shape (3, 32)
    serializers.load_npz(DATA / 'chainer_model.npz', model)
    assert tuple(model.fc.W.shape) == (3, 32)
    with chainvision.using_config('train', False):
        y = model(reference['x'])
    numpy.testing.assert_allclose(y.detach().numpy(), reference['y_eval'], rtol=1e-5, atol=1e-6)


def test_round_trip_is_exact_and_loads_into_lazy_links(tmp_path):
    model = Net()
    model(numpy.random.rand(2, 1, 6, 6).astype(numpy.float32))
    model.bn.N = 7
    path = tmp_path / 'model.npz'
    serializers.save_npz(path, model)
    loaded = Net()
    serializers.load_npz(str(path), loaded)
    for (name, a), (_, b) in zip(model.namedparams(), loaded.namedparams()):
        assert torch.equal(a, b), name
    assert torch.equal(model.bn.avg_var, loaded.bn.avg_var) and loaded.bn.N == 7


def test_an_uninitialized_parameter_saved_by_chainer_loads_as_none():
    model = chainvision.Chain(fc=L.Linear(None, 3))
    serializers.load_npz(DATA / 'chainer_uninitialized.npz', model)
    assert not chainvision.link.is_initialized(model.fc.W)
    assert torch.equal(model.fc.b.detach(), torch.zeros(3))


def test_our_uninitialized_parameter_round_trips(tmp_path):
    serializers.save_npz(tmp_path / 'lazy.npz', chainvision.Chain(fc=L.Linear(None, 3)))
    with numpy.load(tmp_path / 'lazy.npz', allow_pickle=True) as npz:
        assert npz['fc/W'].dtype == object and npz['fc/W'][()] is None  # Chainer's encoding
    model = chainvision.Chain(fc=L.Linear(None, 3))
    serializers.load_npz(tmp_path / 'lazy.npz', model)
    assert not chainvision.link.is_initialized(model.fc.W)


class _Exploit:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


def test_pickled_objects_are_refused_without_running_them(tmp_path):
    path = tmp_path / 'evil.npz'
    payload = numpy.empty((), dtype=object)
    payload[()] = _Exploit()
    numpy.savez(path, **{'fc/b': numpy.zeros(3, numpy.float32), 'fc/W': payload})
    with zipfile.ZipFile(path) as archive:
        assert b'system' in archive.read('fc/W.npy')
    model = chainvision.Chain(fc=L.Linear(None, 3))
    with pytest.raises(ValueError, match='pickled'):
        serializers.load_npz(path, model)


def test_missing_key_names_the_key_and_what_the_file_has(tmp_path):
    serializers.save_npz(tmp_path / 'm.npz', chainvision.Chain(l1=L.Linear(2, 3)))
    with pytest.raises(KeyError, match=r"'l2/W' is not in the NPZ file.*l1"):
        serializers.load_npz(tmp_path / 'm.npz',
                             chainvision.Chain(l1=L.Linear(2, 3), l2=L.Linear(3, 3)))


def test_strict_false_skips_missing_keys(tmp_path):
    source = chainvision.Chain(l1=L.Linear(2, 3))
    serializers.save_npz(tmp_path / 'm.npz', source)
    target = chainvision.Chain(l1=L.Linear(2, 3), l2=L.Linear(3, 3))
    before = target.l2.W.detach().clone()
    serializers.load_npz(tmp_path / 'm.npz', target, strict=False)
    assert torch.equal(target.l1.W, source.l1.W) and torch.equal(target.l2.W.detach(), before)


def test_shape_mismatch_names_both_shapes(tmp_path):
    serializers.save_npz(tmp_path / 'm.npz', chainvision.Chain(l1=L.Linear(2, 3)))
    with pytest.raises(ValueError, match=r"'l1/W': the file has shape \(3, 2\), the object "
                                         r"expects \(3, 4\)"):
        serializers.load_npz(tmp_path / 'm.npz', chainvision.Chain(l1=L.Linear(4, 3)))


def test_ignore_names_accepts_strings_and_callables(tmp_path):
    source = chainvision.Chain(l1=L.Linear(2, 3))
    serializers.save_npz(tmp_path / 'm.npz', source)
    target = chainvision.Chain(l1=L.Linear(2, 3))
    before = target.l1.W.detach().clone()
    serializers.load_npz(tmp_path / 'm.npz', target, ignore_names=['l1/W', lambda k: False])
    assert torch.equal(target.l1.W.detach(), before) and torch.equal(target.l1.b, source.l1.b)
    with pytest.raises(ValueError, match='ignore_names'):
        serializers.load_npz(tmp_path / 'm.npz', target, ignore_names=[3])


def test_path_loads_a_model_out_of_a_chainer_trainer_snapshot():
    model = L.Classifier(Net())
    serializers.load_npz(DATA / 'chainer_trainer_snapshot.npz', model,
                         path='updater/model:main')  # the trailing '/' is added
    with numpy.load(DATA / 'chainer_trainer_snapshot.npz') as npz:
        expected = npz['updater/model:main/predictor/fc/b']
    numpy.testing.assert_array_equal(model.predictor.fc.b.detach().numpy(), expected)


def test_optimizer_state_loads_from_chainer_and_round_trips(tmp_path):
    model = L.Classifier(Net())
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)  # before any forward: lazy fc
    snapshot = DATA / 'chainer_trainer_snapshot.npz'
    serializers.load_npz(snapshot, optimizer, path='updater/optimizer:main/')
    serializers.load_npz(snapshot, model, path='updater/model:main/')
    assert optimizer.t == 1 and model.predictor.fc.W.update_rule.t == 1
    with numpy.load(snapshot) as npz:
        expected_v = npz['updater/optimizer:main/predictor/fc/W/v']
    numpy.testing.assert_array_equal(model.predictor.fc.W.update_rule.state['v'].numpy(),
                                     expected_v)
    buffer = io.BytesIO()
    serializers.save_npz(buffer, optimizer)
    buffer.seek(0)
    with numpy.load(buffer) as npz:
        numpy.testing.assert_array_equal(npz['predictor/fc/W/v'], expected_v)
        assert int(npz['t']) == 1 and int(npz['predictor/fc/W/t']) == 1


def test_resumed_optimizer_continues_exactly(tmp_path):
    def step(model, optimizer, seed):
        x = torch.rand(4, 1, 6, 6, generator=torch.Generator().manual_seed(seed))
        optimizer.update(lambda: model(x).square().mean())

    def build():
        model = Net()
        model(torch.zeros(1, 1, 6, 6))
        return model, optimizers.Adam(alpha=0.01, amsgrad=True).setup(model)

    model, optimizer = build()
    step(model, optimizer, 0)
    serializers.save_npz(tmp_path / 'model.npz', model)
    serializers.save_npz(tmp_path / 'opt.npz', optimizer)
    step(model, optimizer, 1)
    resumed, resumed_optimizer = build()
    serializers.load_npz(tmp_path / 'model.npz', resumed)
    serializers.load_npz(tmp_path / 'opt.npz', resumed_optimizer)
    step(resumed, resumed_optimizer, 1)
    for (name, a), (_, b) in zip(model.namedparams(), resumed.namedparams()):
        assert torch.equal(a, b), name


def test_save_to_a_path_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / 'model.npz'
    serializers.save_npz(path, chainvision.Chain(l1=L.Linear(2, 3)))
    original = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError('disk full')

    monkeypatch.setattr(numpy, 'savez_compressed', fail)
    with pytest.raises(OSError, match='disk full'):
        serializers.save_npz(path, chainvision.Chain(l1=L.Linear(2, 3)))
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ['model.npz']  # the temporary file is gone


def test_scalars_strings_and_unsafe_casts():
    target = {'a': numpy.asarray(3), 'b': numpy.asarray('text'), 'c': numpy.asarray(2.5)}
    buffer = io.BytesIO()
    serializers.save_npz(buffer, target)
    buffer.seek(0)
    with numpy.load(buffer, allow_pickle=False) as npz:
        reader = serializers.NpzDeserializer(npz)
        assert reader('a', 0) == 3 and reader('b', '') == 'text' and reader('c', 0.0) == 2.5
        with pytest.raises(TypeError, match='cannot safely load'):
            reader('c', 0)


def test_pickle_of_none_is_recognised_only_exactly():
    # A pickled ndarray holding something else than None is refused too.
    payload = numpy.empty((), dtype=object)
    payload[()] = 'not none'
    buffer = io.BytesIO()
    numpy.savez(buffer, x=payload)
    buffer.seek(0)
    with numpy.load(buffer, allow_pickle=False) as npz:
        with pytest.raises(ValueError, match='pickled'):
            serializers.NpzDeserializer(npz)('x', None)


def test_loaded_optimizer_state_follows_the_parameters_dtype(tmp_path):
    model = chainvision.Chain(l1=L.Linear(2, 3))
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
    optimizer.update(lambda: model.l1(torch.ones(1, 2)).sum())
    serializers.save_npz(tmp_path / 'opt.npz', optimizer)
    model64 = chainvision.Chain(l1=L.Linear(2, 3)).to(torch.float64)
    optimizer64 = optimizers.MomentumSGD(lr=0.1).setup(model64)
    serializers.load_npz(tmp_path / 'opt.npz', optimizer64)
    optimizer64.update(lambda: model64.l1(torch.ones(1, 2, dtype=torch.float64)).sum())
    assert model64.l1.W.update_rule.state['v'].dtype == torch.float64
