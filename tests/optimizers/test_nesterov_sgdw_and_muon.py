"""NesterovSGDW against torch.optim.SGD and its formula; Muon's
orthogonalisation and its split between filters and other parameters."""

import numpy
import pytest
import torch

import chainvision
from chainvision import optimizers
from chainvision.optimizers.muon import newton_schulz_orthogonalize


def _link(**shapes):
    generator = torch.Generator().manual_seed(0)
    link = chainvision.Link()
    with link.init_scope():
        for name, shape in shapes.items():
            setattr(link, name, chainvision.Parameter(torch.randn(shape, generator=generator)))
    return link


def _quadratic_steps(optimizer, link, steps=4, change=None):
    optimizer.setup(link)
    for step in range(steps):
        if change is not None and step == 2:
            change(optimizer)
        optimizer.update(lambda: sum(((p - step) ** 2 * (1 + p.ndim)).sum()
                                     for p in link.params()))


def test_nesterov_sgdw_without_decay_is_torch_nesterov_sgd_even_when_lr_changes():
    link, reference = _link(W=(3, 4)), _link(W=(3, 4))
    _quadratic_steps(optimizers.NesterovSGDW(lr=0.1, momentum=0.8), link,
                     change=lambda opt: setattr(opt, 'lr', 0.03))
    torch_sgd = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.8, nesterov=True)
    for step in range(4):
        if step == 2:
            torch_sgd.param_groups[0]['lr'] = 0.03
        torch_sgd.zero_grad()
        (((reference.W - step) ** 2) * 3).sum().backward()
        torch_sgd.step()
    torch.testing.assert_close(link.W, reference.W)


def test_nesterov_sgdw_decay_is_decoupled_and_scaled_by_eta():
    link = _link(b=(5,))
    start = link.b.detach().clone()
    optimizer = optimizers.NesterovSGDW(lr=0.1, momentum=0.5, eta=0.5, weight_decay_rate=0.2)
    optimizer.setup(link)
    grad = torch.linspace(-1, 1, 5)
    for _ in range(2):
        link.b.grad = grad.clone()
        optimizer.update()
    # v1 = g, w1 = w0 (1 - 0.1) - 0.05 (g + 0.5 g); v2 = 1.5 g, w2 = w1 (1 - 0.1) - 0.05 (g + 0.75 g)
    w1 = start * 0.9 - 0.05 * 1.5 * grad
    torch.testing.assert_close(link.b.detach(), w1 * 0.9 - 0.05 * 1.75 * grad)


def test_per_parameter_lr_follows_the_eta_schedule():
    link = _link(a=(2,), b=(2,))
    optimizer = optimizers.NesterovSGDW(lr=0.1, momentum=0.).setup(link)
    link.b.update_rule.hyperparam.lr = 1.0
    optimizer.eta = 0.5
    start = [p.detach().clone() for p in (link.a, link.b)]
    link.a.grad, link.b.grad = torch.ones(2), torch.ones(2)
    optimizer.update()
    torch.testing.assert_close(link.a.detach(), start[0] - 0.05)
    torch.testing.assert_close(link.b.detach(), start[1] - 0.5)


@pytest.mark.parametrize('shape', [(64, 216), (256, 2304), (30, 10)])
def test_newton_schulz_keeps_singular_vectors_and_brings_singular_values_near_one(shape):
    matrix = torch.randn(shape, generator=torch.Generator().manual_seed(1))
    result = newton_schulz_orthogonalize(matrix, steps=3)
    u, _, vh = torch.linalg.svd(matrix, full_matrices=False)
    core = u.T @ result @ vh.T
    diagonal = torch.diagonal(core)
    torch.testing.assert_close(core, torch.diag(diagonal), atol=1e-5, rtol=0)
    assert 0.5 < diagonal.min() and diagonal.max() < 1.5


def test_muon_orthogonalises_filters_and_leaves_other_parameters_to_sgdw():
    link = _link(W=(4, 3, 2, 2), b=(4,))
    start_b = link.b.detach().clone()
    optimizer = optimizers.Muon(lr=0.1, momentum=0.5, eta=1.0, ns_steps=3).setup(link)
    grads = torch.randn(4, 3, 2, 2), torch.randn(4)
    link.W.grad, link.b.grad = grads[0].clone(), grads[1].clone()
    W0 = link.W.detach().clone()
    optimizer.update()
    # First step: v = g, Nesterov update g + 0.5 g = 1.5 g (orthogonalisation
    # ignores the factor); the filters are first scaled to norm sqrt(4) = 2.
    expected = W0 * (2 / W0.norm()) - 0.1 * newton_schulz_orthogonalize(
        grads[0].reshape(4, -1), 3).reshape(4, 3, 2, 2)
    torch.testing.assert_close(link.W.detach(), expected)
    torch.testing.assert_close(link.b.detach(), start_b - 0.1 * 1.5 * grads[1])


def test_muon_state_round_trips_through_npz(tmp_path):
    link = _link(W=(4, 3, 3, 3), b=(4,))
    optimizer = optimizers.Muon()
    _quadratic_steps(optimizer, link, steps=2)
    chainvision.serializers.save_npz(str(tmp_path / 'opt.npz'), optimizer)
    restored = optimizers.Muon().setup(link)
    chainvision.serializers.load_npz(str(tmp_path / 'opt.npz'), restored)
    for param in (link.W, link.b):
        numpy.testing.assert_array_equal(restored.torch_optimizer.state[param]['v'].numpy(),
                                         optimizer.torch_optimizer.state[param]['v'].numpy())
