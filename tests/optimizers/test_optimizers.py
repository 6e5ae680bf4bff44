"""Optimizers against Chainer 7.8.1: five steps on a quadratic loss with a
hyperparameter changed after three; the reference values were printed by
real Chainer (the script is in the comments of ``_run``)."""

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import optimizer_hooks as H
from chainvision import optimizers

W0 = numpy.array([[0.5, -1.0, 2.0], [0.1, -0.3, 1.5]], numpy.float32)


def _link():
    link = chainvision.Link()
    with link.init_scope():
        link.W = chainvision.Parameter(W0.copy())
    return link


def _run(optimizer, change, hooks=(), device='cpu'):
    # Chainer: the same Link/Parameter; each step
    # opt.update(lambda: F.sum(W * W * c + W * d)) with c = 1 + 0.25 * step,
    # d = arange(6).reshape(2, 3) - 2.5 + step; change(opt) before step 3.
    link = _link().to(device)
    optimizer.setup(link)
    for hook in hooks:
        optimizer.add_hook(hook)
    for step in range(5):
        if step == 3:
            change(optimizer)
        c = 1 + 0.25 * step
        d = torch.arange(6, dtype=torch.float32, device=device).reshape(2, 3) - 2.5 + step
        optimizer.update(lambda: torch.sum(link.W * link.W * c + link.W * d))
    return link.W.detach().cpu().numpy()


CHAINER_RESULTS = {
    'SGD': [[0.23252496123313904, -0.42012497782707214, 0.1746249794960022],
            [-0.5889050364494324, -0.9366350173950195, -0.6745250225067139]],
    'MomentumSGD': [[0.3902955949306488, 0.9200284481048584, -2.1710684299468994],
                    [-1.3194841146469116, -1.6748429536819458, -3.8003852367401123]],
    'NesterovAG': [[-0.08939247578382492, 0.11972469091415405, -1.7007321119308472],
                   [-1.3112082481384277, -1.598209261894226, -2.877446413040161]],
    'Adam': [[0.5984695553779602, -0.624136209487915, 1.6028869152069092],
             [-0.2878435254096985, -0.6951470971107483, 1.0995837450027466]],
    'AdamW': [[0.41256892681121826, -0.35990530252456665, 0.9740452766418457],
              [-0.2655599117279053, -0.5332546830177307, 0.6437368988990784]],
    'AMSGrad': [[0.5984399318695068, -0.6241379976272583, 1.6028869152069092],
                [-0.2878435254096985, -0.6951470971107483, 1.0995837450027466]],
    'AdaGrad': [[0.3498159945011139, -0.47300899028778076, 1.1225348711013794],
                [-0.7734707593917847, -1.1102023124694824, 0.659489631652832]],
    'RMSprop': [[0.2530219554901123, -0.2866328954696655, 0.6650586724281311],
                [-1.0035983324050903, -1.281315803527832, 0.21324144303798676]],
    'RMSprop_eps_inside': [[0.36621612310409546, -0.3774771988391876, 0.8495196104049683],
                           [-0.5400815010070801, -0.9182353019714355, 0.3097822666168213]],
    'AdaDelta': [[0.4606761932373047, -0.8788042664527893, 1.8219701051712036],
                 [-0.09262807667255402, -0.4849783480167389, 1.3315131664276123]],
    'RMSpropGraves': [[0.5686507225036621, -0.6359071135520935, 1.5297846794128418],
                      [-0.3901355266571045, -0.7773246169090271, 1.0459325313568115]],
    'CorrectedMomentumSGD': [[0.4839891791343689, 0.3152787387371063, -0.7145587801933289],
                             [-0.8067246079444885, -1.1859327554702759, -1.9861364364624023]],
}

CASES = {
    'SGD': (lambda: optimizers.SGD(lr=0.1), lambda o: setattr(o, 'lr', 0.05)),
    'MomentumSGD': (lambda: optimizers.MomentumSGD(lr=0.1, momentum=0.9),
                    lambda o: setattr(o, 'lr', 0.02)),
    'NesterovAG': (lambda: optimizers.NesterovAG(lr=0.1, momentum=0.9),
                   lambda o: setattr(o, 'lr', 0.02)),
    'Adam': (lambda: optimizers.Adam(alpha=0.1), lambda o: setattr(o, 'alpha', 0.05)),
    'AdamW': (lambda: optimizers.AdamW(alpha=0.1, weight_decay_rate=0.1),
              lambda o: setattr(o, 'eta', 0.5)),
    'AMSGrad': (lambda: optimizers.Adam(alpha=0.1, amsgrad=True),
                lambda o: setattr(o, 'alpha', 0.05)),
    'AdaGrad': (lambda: optimizers.AdaGrad(lr=0.3), lambda o: setattr(o, 'lr', 0.1)),
    'RMSprop': (lambda: optimizers.RMSprop(lr=0.05), lambda o: setattr(o, 'lr', 0.01)),
    'RMSprop_eps_inside': (lambda: optimizers.RMSprop(lr=0.05, eps=0.1, eps_inside_sqrt=True),
                           lambda o: setattr(o, 'lr', 0.01)),
    'AdaDelta': (lambda: optimizers.AdaDelta(rho=0.9, eps=1e-4), lambda o: setattr(o, 'rho', 0.5)),
    'RMSpropGraves': (lambda: optimizers.RMSpropGraves(lr=0.01), lambda o: setattr(o, 'lr', 0.005)),
    'CorrectedMomentumSGD': (lambda: optimizers.CorrectedMomentumSGD(lr=0.1, momentum=0.9),
                             lambda o: setattr(o, 'lr', 0.02)),
}


@pytest.mark.parametrize('name', sorted(CASES))
def test_update_matches_chainer_when_a_hyperparameter_changes_mid_run(name):
    make, change = CASES[name]
    numpy.testing.assert_allclose(_run(make(), change), CHAINER_RESULTS[name], rtol=1e-5, atol=1e-6)


def _ramp_noise(xp, shape, dtype, hook, rule):
    # Deterministic noise for GradientNoise: eta / (1 + t) * [0, 1, 2, ...].
    return (hook.eta / (1 + rule.t) * xp.arange(numpy.prod(shape)).reshape(shape)).astype(dtype)


CHAINER_HOOK_RESULTS = {  # MomentumSGD(lr=0.1) with the hook, five steps
    'WeightDecay': ([H.WeightDecay(0.1)],
                    [[-0.3001887798309326, 0.17276859283447266, -2.256103992462158],
                     [-1.525206208229065, -1.761584997177124, -3.4166362285614014]]),
    'Lasso': ([H.Lasso(0.1)],
              [[-0.3200199007987976, 0.17451998591423035, -2.2445197105407715],
               [-1.5194599628448486, -1.7523599863052368, -3.430419921875]]),
    'GradientClipping': ([H.GradientClipping(1.0)],
                         [[0.5047403573989868, -0.6398087739944458, 1.278639554977417],
                          [-0.1381760835647583, -0.53399258852005, 0.567656397819519]]),
    'GradientHardClipping': ([H.GradientHardClipping(-0.5, 1.0)],
                             [[0.18674251437187195, -0.4237750172615051, 0.6855900287628174],
                              [-1.0915570259094238, -1.5552549362182617, 0.18559005856513977]]),
    'GradientLARS': ([H.GradientLARS(threshold=1.0, weight_decay=0.1)],
                     [[0.5215571522712708, -0.15187369287014008, 0.36104416847229004],
                      [-0.4178398847579956, -0.8012743592262268, -0.6047160625457764]]),
    'GradientLARS_below_threshold': (
        [H.GradientLARS(threshold=10.0, weight_decay=0.1)],  # rate 1: only the decay remains
        [[-0.3001887798309326, 0.17276859283447266, -2.256103992462158],
         [-1.525206208229065, -1.761584997177124, -3.4166362285614014]]),
    'GradientNoise': ([H.GradientNoise(0.3, noise_func=_ramp_noise)],
                      [[-0.2689499855041504, 0.12043985724449158, -2.3494699001312256],
                       [-1.7059199810028076, -2.015470027923584, -3.722899913787842]]),
    'optimizer.WeightDecay': ([chainvision.optimizer.WeightDecay(0.1)],
                              [[-0.3001887798309326, 0.17276859283447266, -2.256103992462158],
                               [-1.525206208229065, -1.761584997177124, -3.4166362285614014]]),
}


@pytest.mark.parametrize('name', sorted(CHAINER_HOOK_RESULTS))
def test_hook_matches_chainer(name):
    hooks, expected = CHAINER_HOOK_RESULTS[name]
    result = _run(optimizers.MomentumSGD(lr=0.1), lambda o: None, hooks)
    numpy.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


def test_default_gradient_noise_has_the_annealed_standard_deviation():
    numpy.random.seed(0)
    rule = type('Rule', (), {'t': 3})()
    noise = H.gradient_noise.exponential_decay_noise(
        numpy, (100000,), numpy.float32, H.GradientNoise(0.3), rule)
    assert noise.dtype == numpy.float32
    assert abs(noise.std() - numpy.sqrt(0.3 / 4 ** 0.55)) < 0.005 and abs(noise.mean()) < 0.005


def test_chainer_optimizer_keeps_the_hooks_old_names():
    for name in ('GradientClipping', 'GradientHardClipping', 'GradientNoise', 'Lasso',
                 'WeightDecay'):
        assert getattr(chainvision.optimizer, name) is getattr(H, name)


def test_momentum_sgd_differs_from_torch_sgd_after_an_lr_change():
    ours = _run(optimizers.MomentumSGD(lr=0.1), lambda o: setattr(o, 'lr', 0.02))
    link = _link()
    torch_sgd = torch.optim.SGD([link.W], lr=0.1, momentum=0.9)
    for step in range(5):
        if step == 3:
            torch_sgd.param_groups[0]['lr'] = 0.02
        d = torch.arange(6, dtype=torch.float32).reshape(2, 3) - 2.5 + step
        torch_sgd.zero_grad()
        torch.sum(link.W * link.W * (1 + 0.25 * step) + link.W * d).backward()
        torch_sgd.step()
    assert not numpy.allclose(ours, link.W.detach().numpy(), atol=1e-3)


def test_setup_before_lazy_parameters_exist_then_update_with_lossfun():
    model = chainvision.Chain(l1=L.Linear(None, 3))
    optimizer = optimizers.SGD(lr=0.5).setup(model)
    x = torch.ones(2, 4)
    model.l1(x)  # initializes W (3, 4)
    before = model.l1.W.detach().clone()
    optimizer.update(lambda: model.l1(x).sum())
    # d(sum(xW^T + b))/dW = 2 (two rows of ones) everywhere
    torch.testing.assert_close(model.l1.W.detach(), before - 0.5 * 2)
    assert optimizer.t == 1 and model.l1.W.update_rule.t == 1


def test_update_without_lossfun_uses_existing_grads_and_zero_fills_missing():
    link = _link()
    extra = chainvision.Link()
    with extra.init_scope():
        extra.b = chainvision.Parameter(numpy.ones(2, numpy.float32))
    model = chainvision.Chain(a=link, e=extra)
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
    optimizer.add_hook(H.WeightDecay(0.5))
    link.W.grad = torch.ones(2, 3)
    optimizer.update()
    w0 = torch.tensor(W0)
    torch.testing.assert_close(link.W.detach(), w0 - 0.1 * (1 + 0.5 * w0))
    # b had no gradient: Chainer updates it with a zero gradient, so only decay acts
    torch.testing.assert_close(extra.b.detach(), torch.full((2,), 1 - 0.1 * 0.5))


def test_disabled_rule_and_frozen_parameter_are_not_updated():
    model = chainvision.Chain(a=_link(), b=_link())
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    model.a.W.update_rule.enabled = False
    model.b.disable_update()
    optimizer.update(lambda: model.a.W.sum() + model.b.W.sum())
    numpy.testing.assert_array_equal(model.a.W.detach().numpy(), W0)
    numpy.testing.assert_array_equal(model.b.W.detach().numpy(), W0)


def test_per_parameter_hyperparameter_override():
    model = chainvision.Chain(a=_link(), b=_link())
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    model.b.W.update_rule.hyperparam.lr = 0.0
    optimizer.update(lambda: model.a.W.sum() + model.b.W.sum())
    numpy.testing.assert_allclose(model.a.W.detach().numpy(), W0 - 0.1)
    numpy.testing.assert_array_equal(model.b.W.detach().numpy(), W0)
    assert model.b.W.update_rule.hyperparam.get_dict() == {'lr': 0.0}


def test_adam_lr_is_alpha_t_and_undefined_before_the_first_update():
    optimizer = optimizers.Adam(alpha=0.01).setup(_link())
    with pytest.raises(RuntimeError, match='no update'):
        optimizer.lr
    optimizer.t = 2
    assert optimizer.lr == pytest.approx(0.01 * (1 - 0.999 ** 2) ** 0.5 / (1 - 0.9 ** 2))


def test_state_is_exposed_by_chainer_names():
    link = _link()
    optimizer = optimizers.Adam(amsgrad=True).setup(link)
    assert link.W.update_rule.state is None
    optimizer.update(lambda: link.W.sum())
    assert sorted(link.W.update_rule.state) == ['m', 'v', 'vhat']
    torch.testing.assert_close(link.W.update_rule.state['m'], torch.full((2, 3), 0.1))


def test_hooks_timing_names_and_errors():
    link = _link()
    optimizer = optimizers.SGD(lr=1.0)
    with pytest.raises(RuntimeError, match='setup'):
        optimizer.add_hook(H.WeightDecay(0.1))
    optimizer.setup(link)
    calls = []
    optimizer.add_hook(lambda opt: calls.append(('post', float(link.W.detach()[0, 0]))), name='p',
                       timing='post')
    optimizer.add_hook(lambda opt: calls.append(('pre', float(link.W.detach()[0, 0]))), name='q')
    with pytest.raises(KeyError, match='already exists'):
        optimizer.add_hook(lambda opt: None, name='p')
    optimizer.update(lambda: link.W.sum())
    assert calls == [('pre', 0.5), ('post', -0.5)]
    optimizer.remove_hook('q')
    with pytest.raises(KeyError):
        optimizer.remove_hook('q')
    with pytest.raises(ValueError, match='upper_bound'):
        H.GradientHardClipping(1.0, -1.0)


def test_new_epoch_counts_and_guards_against_double_counting():
    optimizer = optimizers.SGD().setup(_link())
    optimizer.new_epoch()
    assert optimizer.epoch == 1
    with pytest.raises(RuntimeError, match='use_auto_new_epoch'):
        optimizer.new_epoch(auto=True)
    optimizer.use_auto_new_epoch = True
    with pytest.raises(RuntimeError, match='duplicated'):
        optimizer.new_epoch()
    optimizer.new_epoch(auto=True)
    assert optimizer.epoch == 2


def test_setup_rejects_a_non_module():
    with pytest.raises(TypeError, match='Link'):
        optimizers.SGD().setup(object())


def test_hyperparameter_proxy_writes_through():
    optimizer = optimizers.MomentumSGD(lr=0.05, momentum=0.8)
    optimizer.lr *= 0.1
    assert optimizer.hyperparam.lr == pytest.approx(0.005)
    assert optimizer.hyperparam.get_dict() == {'lr': pytest.approx(0.005), 'momentum': 0.8}


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(CASES))
def test_update_on_cuda_matches_chainer(name):
    make, change = CASES[name]
    numpy.testing.assert_allclose(_run(make(), change, device='cuda'), CHAINER_RESULTS[name],
                                  rtol=1e-5, atol=1e-6)


@pytest.mark.gpu
def test_state_loaded_on_the_cpu_moves_to_the_parameters_device(tmp_path):
    from chainvision import serializers
    link = _link()
    optimizer = optimizers.Adam().setup(link)
    optimizer.update(lambda: link.W.sum())
    serializers.save_npz(tmp_path / 'opt.npz', optimizer)
    cuda_link = _link().to('cuda')
    cuda_optimizer = optimizers.Adam().setup(cuda_link)
    serializers.load_npz(tmp_path / 'opt.npz', cuda_optimizer)
    cuda_optimizer.update(lambda: cuda_link.W.sum())
    link_state = cuda_link.W.update_rule.state
    assert link_state['m'].device.type == 'cuda' and cuda_optimizer.t == 2


def test_parameters_initialized_after_some_updates_join_later_with_their_own_t():
    model = chainvision.Chain(a=L.Linear(2, 2), b=L.Linear(None, 1))
    optimizer = optimizers.Adam(alpha=0.1).setup(model)
    x = torch.ones(1, 2)
    optimizer.update(lambda: model.a(x).sum())  # b is still lazy: only a is updated
    model.b(x)
    before = model.b.W.detach().clone()
    optimizer.update(lambda: model.b(model.a(x)).sum())
    assert (optimizer.t, model.a.W.update_rule.t, model.b.W.update_rule.t) == (2, 2, 1)
    # b's first Adam step moves each weight by alpha (bias correction with its own t = 1)
    torch.testing.assert_close((before - model.b.W.detach()).abs(), torch.full((1, 2), 0.1))


@pytest.mark.parametrize('hook', [H.WeightDecay(0.1), H.Lasso(0.1)], ids=lambda h: h.name)
def test_a_penalty_hook_on_all_parameters_at_once_equals_it_per_parameter(hook):
    torch.manual_seed(0)
    shapes = [(4, 3, 3, 3), (4,), (10, 4)]
    params = [torch.nn.Parameter(torch.randn(*shape)) for shape in shapes]
    params[0].data = params[0].data.to(memory_format=torch.channels_last)
    for param in params[:2]:                      # the last one has no gradient
        param.grad = torch.randn_like(param)
    singles = [torch.nn.Parameter(p.detach().clone()) for p in params]
    for single, param in zip(singles, params):
        single.grad = None if param.grad is None else param.grad.clone()
        hook(None, single)
    hook.call_for_params(params)
    for single, param in zip(singles, params):
        assert (single.grad is None) == (param.grad is None)
        if param.grad is not None:
            assert torch.equal(single.grad, param.grad)
