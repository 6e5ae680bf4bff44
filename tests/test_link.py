import copy

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L


class MLP(chainvision.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 5)
            self.l2 = L.Linear(5, 3)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


def test_lazy_linear_infers_in_size_at_first_call():
    model = MLP()
    assert not chainvision.link.is_initialized(model.l1.W)
    y = model(numpy.ones((2, 4, 2), numpy.float32))
    assert y.shape == (2, 3)
    assert model.l1.W.shape == (5, 8)


def test_namedparams_use_chainer_paths():
    model = MLP()
    model(numpy.ones((1, 4), numpy.float32))
    assert [name for name, _ in model.namedparams()] == ['/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [name for name, _ in model.namedlinks()] == ['/', '/l1', '/l2']
    assert [name for name, _ in model.namedlinks(skipself=True)] == ['/l1', '/l2']
    assert model.count_params() == 5 * 4 + 5 + 5 * 3 + 3


def test_chainer_paths_of_any_torch_module():
    from chainvision.link import chainer_path, named_links, named_params
    assert chainer_path('predictor.conv1.W') == '/predictor/conv1/W'
    assert chainer_path('') == '/'
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU()))
    assert [path for path, _ in named_params(net)] == ['/0/weight', '/0/bias']
    assert [path for path, _ in named_links(net)] == ['/', '/0', '/1', '/1/0']
    assert [path for path, _ in named_links(net, skipself=True)] == ['/0', '/1', '/1/0']
    lazy = MLP()
    assert [path for path, _ in named_params(lazy, include_uninit=False)] == [
        '/l1/b', '/l2/W', '/l2/b']  # l1/W waits for the first input


def test_count_params_warns_on_uninitialized():
    with pytest.warns(UserWarning, match='not been initialized'):
        assert MLP().count_params() == 5 * 3 + 3 + 5


def test_cleargrads_and_backward_fill_every_grad():
    model = MLP()
    model(numpy.ones((2, 4), numpy.float32)).sum().backward()
    assert all(p.grad is not None for p in model.params())
    model.cleargrads()
    assert all(p.grad is None for p in model.params())


def test_add_param_and_persistent():
    link = chainvision.Link()
    link.add_param('W', (2, 3), initializer=chainvision.initializers.One())
    link.add_persistent('count', 3)
    link.add_persistent('table', numpy.zeros(4, numpy.float32))
    assert torch.equal(link.W.data, torch.ones(2, 3))
    assert link.persistent_names() == ['table', 'count']
    assert 'table' in link.state_dict()
    with pytest.raises(AttributeError, match='already exists'):
        link.add_param('W', (1,))


def test_chainlist_indexing_and_names():
    chain = chainvision.ChainList(L.Linear(2, 3), L.Linear(3, 4))
    chain.add_link(L.Linear(4, 1))
    assert len(chain) == 3 and isinstance(chain[2], L.Linear)
    assert [n for n, _ in chain.namedparams()][:2] == ['/0/W', '/0/b']
    assert [type(l).__name__ for l in chain] == ['Linear'] * 3


def test_sequential_numbers_links_only_and_accepts_callables():
    import functools
    seq = chainvision.Sequential(L.Linear(3, 4), F.relu, functools.partial(F.softmax, axis=1),
                                 L.Linear(4, 2))
    assert [n for n, _ in seq.namedparams()] == ['/0/W', '/0/b', '/1/W', '/1/b']
    assert seq(numpy.ones((2, 3), numpy.float32)).shape == (2, 2)
    seq.insert(0, lambda x: x * 2)
    assert len(seq) == 5
    seq.pop(0)
    assert len(seq) == 4 and isinstance(seq[0], L.Linear)


def test_copy_share_shares_tensors_and_copy_does_not():
    model = MLP()
    model(numpy.ones((1, 4), numpy.float32))
    shared = model.copy('share')
    deep = model.copy('copy')
    assert shared.l1.W is model.l1.W
    assert deep.l1.W is not model.l1.W and torch.equal(deep.l1.W, model.l1.W)


def test_copyparams_copies_values_and_persistents():
    a, b = L.BatchNormalization(3), L.BatchNormalization(3)
    with torch.no_grad():
        a.gamma.fill_(2.0)
        a.avg_mean.fill_(5.0)
    b.copyparams(a)
    assert torch.equal(b.gamma, a.gamma) and torch.equal(b.avg_mean, a.avg_mean)


def test_state_dict_round_trip_into_lazy_link():
    model = MLP()
    model(numpy.ones((1, 4), numpy.float32))
    fresh = MLP()
    fresh.load_state_dict(copy.deepcopy(model.state_dict()))
    assert torch.equal(fresh.l1.W, model.l1.W)


def test_to_device_accepts_chainer_specifiers():
    model = MLP()
    for spec in ('@numpy', -1, 'cpu', 'native'):
        assert model.to_device(spec) is model
    assert model.device == chainvision.backend.Device('cpu')
    assert model.xp is numpy


@pytest.mark.gpu
def test_to_device_cuda_runs_forward():
    model = MLP().to_device('cuda')
    y = model(torch.ones(2, 4, device='cuda'))
    assert y.is_cuda and model.l1.W.is_cuda


def test_copies_of_a_lazy_link_initialize_with_its_initializer():
    # Chainer's glance example repeats Sequential(L.Linear(44), F.relu) before the first call.
    layers = chainvision.Sequential(L.Linear(5), F.relu).repeat(2)
    twin = copy.deepcopy(L.Linear(3, initialW=chainvision.initializers.Constant(2.0)))
    layers(numpy.ones((2, 4), numpy.float32))
    twin(numpy.ones((2, 4), numpy.float32))
    assert not any(torch.isnan(p).any() for p in layers.params())
    assert (twin.W == 2.0).all()


def test_copy_init_reinitializes_parameters():
    torch.manual_seed(0)
    link = L.Linear(10, 10)
    fresh = link.copy('init')
    assert fresh.W.shape == link.W.shape and not torch.equal(fresh.W, link.W)
    assert abs(float(fresh.W.std()) - 10 ** -0.5) < 0.1  # LeCun normal again
