"""Normal, Bernoulli, Independent and the KL registry against Chainer 7.8.1.

The expected values were printed by real Chainer 7.8.1 for the same
parameters and points (``chainer.distributions`` and ``chainer.kl_divergence``).
"""
import numpy
import pytest
import torch

import chainvision
import chainvision.distributions as D

LOC = numpy.array([[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]], numpy.float32)
SCALE = numpy.array([[1.0, 0.5, 2.0], [0.8, 1.5, 0.3]], numpy.float32)
X = numpy.array([[0.2, -0.4, 3.0], [1.0, 0.0, -1.0]], numpy.float32)
LOGIT = numpy.array([[-2.0, 0.0, 3.0], [1.5, -0.5, 10.0]], numpy.float32)
XB = numpy.array([[0, 1, 1], [1, 0, 0]], numpy.int32)

NORMAL = {
    'log_prob': [[-0.9639385342597961, -0.9457913637161255, -1.7370857000350952],
                 [-1.477044939994812, -1.344403624534607, -0.21496570110321045]],
    'prob': [[0.3813878297805786, 0.38837212324142456, 0.1760326623916626],
             [0.22831137478351593, 0.26069512963294983, 0.8065690994262695]],
    'cdf': [[0.3820885717868805, 0.8849303126335144, 0.6914624571800232],
            [0.8943502306938171, 0.4207402765750885, 0.15865525603294373]],
    'log_cdf': [[-0.9621028304100037, -0.12224634736776352, -0.3689464032649994],
                [-0.11165782809257507, -0.8657395243644714, -1.8410216569900513]],
    'survival_function': [[0.6179113984107971, 0.11506965756416321, 0.3085375428199768],
                          [0.10564977675676346, 0.5792596936225891, 0.8413447737693787]],
    'log_survival_function': [[-0.4814101457595825, -2.162217617034912, -1.175911784172058],
                              [-2.2476255893707275, -0.5460043549537659, -0.17275378108024597]],
}


def _close(got, expected, rtol=1e-5, atol=1e-6):
    numpy.testing.assert_allclose(got.detach().numpy(), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize('method', sorted(NORMAL))
def test_normal_densities_match_chainer(method):
    _close(getattr(D.Normal(LOC, SCALE), method)(X), NORMAL[method])


def test_normal_icdf_entropy_and_moments_match_chainer():
    normal = D.Normal(LOC, SCALE)
    q = numpy.array([[0.1, 0.5, 0.9], [0.25, 0.75, 0.99]], numpy.float32)
    _close(normal.icdf(q), [[-0.7815515995025635, -1.0, 4.563102722167969],
                            [-0.5395917892456055, 1.311734676361084, -0.002095460891723633]],
           atol=1e-5)
    _close(normal.entropy, [[1.4189385175704956, 0.725791335105896, 2.1120858192443848],
                            [1.195794939994812, 1.8244036436080933, 0.21496570110321045]])
    _close(normal.mean, LOC)
    _close(normal.stddev, SCALE)
    _close(normal.variance, SCALE ** 2)
    assert normal.batch_shape == (2, 3) and normal.event_shape == () and normal.support == 'real'
    assert sorted(normal.params) == ['loc', 'scale']


def test_normal_kl_with_log_scale_matches_chainer():
    other = D.Normal(LOC * 0.5, log_scale=numpy.log(SCALE) + 0.2)
    _close(other.scale, SCALE * numpy.exp(0.2))
    _close(chainvision.kl_divergence(D.Normal(LOC, SCALE), other),
           [[0.056107521057128906, 0.37032002210617065, 0.1189500093460083],
            [0.03516000509262085, 0.03851163387298584, 0.4913502335548401]])


def test_normal_log_prob_gradients_match_chainer():
    loc = torch.tensor(LOC, requires_grad=True)
    scale = torch.tensor(SCALE, requires_grad=True)
    D.Normal(loc, scale).log_prob(X).sum().backward()
    _close(loc.grad, [[-0.30000001192092896, 2.4000000953674316, 0.25],
                      [1.5624998807907104, -0.13333334028720856, -3.3333332538604736]])
    _close(scale.grad, [[-0.9099999666213989, 0.880000114440918, -0.375],
                        [0.7031246423721313, -0.64000004529953, 0.0]], atol=1e-5)


def test_normal_needs_exactly_one_scale():
    with pytest.raises(ValueError, match='not both'):
        D.Normal(LOC)
    with pytest.raises(ValueError, match='not both'):
        D.Normal(LOC, SCALE, log_scale=SCALE)


def test_bernoulli_log_prob_and_prob_match_chainer():
    bernoulli = D.Bernoulli(logit=LOGIT)
    _close(bernoulli.log_prob(XB),
           [[-0.12692785263061523, -0.6931471824645996, -0.04858733341097832],
            [-0.20141322910785675, -0.4740769863128662, -10.000045776367188]])
    _close(bernoulli.prob(XB), [[0.8807970881462097, 0.5, 0.9525741338729858],
                                [0.8175745010375977, 0.6224592924118042, 4.5418739318847656e-05]])
    grey = numpy.full((2, 3), 0.3, numpy.float32)  # a VAE's grey levels
    _close(bernoulli.log_prob(grey),
           [[-0.7269278764724731, -0.6931471824645996, -2.148587226867676],
            [-1.2514132261276245, -0.6240769624710083, -7.000045299530029]])


def test_bernoulli_binary_check_rejects_other_values():
    checked = D.Bernoulli(logit=LOGIT, binary_check=True)
    assert torch.isneginf(checked.log_prob(numpy.full((2, 3), 0.3, numpy.float32))).all()
    _close(checked.prob(numpy.array([[0.3, 1, 0], [1, 2, 0]], numpy.float32)),
           [[0.0, 0.5, 0.04742586612701416], [0.8175745010375977, 0.0, 4.5418739318847656e-05]])


def test_bernoulli_statistics_match_chainer():
    bernoulli = D.Bernoulli(logit=LOGIT)
    _close(bernoulli.entropy, [[0.36533382534980774, 0.6931471824645996, 0.1908649504184723],
                               [0.47505152225494385, 0.6628473401069641, 0.0004995862836949527]],
           atol=1e-5)
    _close(bernoulli.mean, [[0.11920291185379028, 0.5, 0.9525741338729858],
                            [0.8175745010375977, 0.3775406777858734, 0.9999545812606812]])
    _close(bernoulli.variance, [[0.10499357432126999, 0.25, 0.04517665505409241],
                                [0.1491464376449585, 0.23500370979309082, 4.5416676584864035e-05]])
    _close(bernoulli.stddev, [[0.3240271210670471, 0.5, 0.21254800260066986],
                              [0.3861948251724243, 0.48477181792259216, 0.0067391893826425076]],
           rtol=1e-4)
    p = numpy.array([[0.1, 0.5, 0.9], [0.0, 1.0, 0.3]], numpy.float32)
    _close(D.Bernoulli(p=p).entropy, [[0.3250829875469208, 0.6931471824645996, 0.32508301734924316],
                                      [0.0, 0.0, 0.6108643412590027]])
    _close(D.Bernoulli(p=numpy.array([0.25, 0.5], numpy.float32)).logit, [-1.0986123085021973, 0])
    assert bernoulli.support == '{0, 1}' and list(bernoulli.params) == ['logit']


def test_bernoulli_kl_and_gradient_match_chainer():
    _close(chainvision.kl_divergence(D.Bernoulli(logit=LOGIT), D.Bernoulli(logit=LOGIT * 0.5 + 0.1)),
           [[0.08310282230377197, 0.0012494921684265137, 0.06891721487045288],
            [0.03587526082992554, 0.014740824699401855, 0.0058102416805922985]], atol=1e-5)
    logit = torch.tensor(LOGIT, requires_grad=True)
    D.Bernoulli(logit=logit).log_prob(XB).sum().backward()
    _close(logit.grad, [[-0.11920293420553207, 0.5, 0.04742586612701416],
                        [0.18242549896240234, -0.3775406777858734, -0.9999545812606812]])


def test_independent_shapes_and_reductions_match_chainer():
    normal = D.Normal(LOC, SCALE)
    joint = D.Independent(normal)
    assert (joint.batch_shape, joint.event_shape) == ((2,), (3,))
    assert D.Independent(normal, 0).event_shape == () and D.Independent(normal, 2).batch_shape == ()
    _close(joint.log_prob(X), [-3.646815776824951, -3.03641414642334])
    _close(joint.prob(X), [0.026074029505252838, 0.04800672084093094])
    _close(joint.cdf(X), [0.23379850387573242, 0.05970025435090065])
    _close(joint.entropy, [4.2568159103393555, 3.235164165496826])
    _close(joint.mean, LOC)
    bernoulli = D.Independent(D.Bernoulli(logit=LOGIT), reinterpreted_batch_ndims=1)
    _close(bernoulli.log_prob(XB), [-0.8686623573303223, -10.675536155700684])
    _close(bernoulli.entropy, [1.2493458986282349, 1.13839852809906])


def test_independent_kl_sums_the_base_kl_as_chainer():
    normal, other = D.Normal(LOC, SCALE), D.Normal(LOC * 0.5, log_scale=numpy.log(SCALE) + 0.2)
    _close(chainvision.kl_divergence(D.Independent(normal), D.Independent(other)),
           [0.5453775525093079, 0.5650218725204468])
    _close(chainvision.kl_divergence(D.Independent(normal, 2), D.Independent(other, 2)),
           1.1103994846343994)
    with pytest.raises(ValueError, match='Event shapes'):
        chainvision.kl_divergence(D.Independent(normal, 1), D.Independent(other, 2))


def test_independent_rejects_too_many_axes_and_has_no_icdf():
    with pytest.raises(ValueError, match='reinterpreted_batch_ndims'):
        D.Independent(D.Normal(LOC, SCALE), 3)
    with pytest.raises(RuntimeError, match='not invertible'):
        D.Independent(D.Normal(LOC, SCALE)).icdf(X)


def test_sample_shapes_match_chainer():
    normal = D.Normal(LOC, SCALE)
    assert normal.sample().shape == (2, 3) and normal.sample(4).shape == (4, 2, 3)
    assert normal.sample((2, 5)).shape == (2, 5, 2, 3)
    assert D.Independent(normal).sample(3).shape == (3, 2, 3)
    assert D.Bernoulli(logit=LOGIT).sample(2).dtype == torch.int64


def test_normal_samples_are_reparameterized_with_the_right_moments():
    torch.manual_seed(0)
    loc = torch.tensor([1.0, -2.0], requires_grad=True)
    scale = torch.tensor([0.5, 3.0], requires_grad=True)
    samples = D.Normal(loc, scale).sample(200000)
    _close(samples.mean(0), [1.0, -2.0], atol=0.02)
    _close(samples.std(0), [0.5, 3.0], rtol=0.01)
    samples.mean(0).sum().backward()
    _close(loc.grad, [1, 1])


def test_bernoulli_samples_have_the_right_mean():
    torch.manual_seed(0)
    samples = D.Bernoulli(p=numpy.array([0.1, 0.7], numpy.float32)).sample(100000)
    assert set(samples.unique().tolist()) == {0, 1}
    _close(samples.float().mean(0), [0.1, 0.7], atol=0.01)


def test_kl_registry_and_cross_entropy():
    class Other(chainvision.Distribution):
        pass

    with pytest.raises(NotImplementedError, match='Normal and Other'):
        chainvision.kl_divergence(D.Normal(LOC, SCALE), Other())

    @chainvision.register_kl(Other, Other)
    def _kl_other(dist1, dist2):
        return torch.zeros(())

    assert chainvision.kl_divergence(Other(), Other()).item() == 0
    normal = D.Normal(LOC, SCALE)
    _close(chainvision.cross_entropy(normal, normal), normal.entropy.detach().numpy())
    with pytest.raises(NotImplementedError, match='Other does not define log_prob'):
        Other().log_prob(X)
