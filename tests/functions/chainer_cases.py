"""Function calls whose results real Chainer 7.8.1 computed for the tests.

``CASES`` maps a case name to a :class:`Case`: ``call(C, F, *inputs)``, with
``C`` the top-level package (``chainer`` or ``chainvision``) and ``F`` its
functions, and the specs of the inputs.  ``data/make_chainer_function_references.py``
(run by hand with real Chainer) draws the inputs, calls each case, backpropagates
a random output gradient and stores everything in
``data/chainer_function_references.npz``; ``test_chainer_references.py`` runs
the same calls on chainvision with the stored inputs and compares outputs and
gradients.
"""

import collections

import numpy

# kind: 'u' uniform float32 in [low, high), differentiated; 'f' the same, not
# differentiated; 'i' int32 in [low, high); 'c' a fixed array (low is the value).
Input = collections.namedtuple('Input', 'kind shape low high')
Case = collections.namedtuple('Case', 'call inputs grad rtol atol')


def u(*shape, low=-1.0, high=1.0):
    return Input('u', shape, low, high)


def f(*shape, low=-1.0, high=1.0):
    return Input('f', shape, low, high)


def i(*shape, low=0, high=3):
    return Input('i', shape, low, high)


def c(value):
    return Input('c', None, numpy.asarray(value), None)


def case(call, *inputs, grad=True, rtol=1e-5, atol=1e-6):
    return Case(call, inputs, grad, rtol, atol)


def draw(spec, rng):
    """The array for one input spec."""
    if spec.kind == 'c':
        return spec.low
    if spec.kind == 'i':
        return rng.randint(spec.low, spec.high, spec.shape).astype(numpy.int32)
    return rng.uniform(spec.low, spec.high, spec.shape).astype(numpy.float32)


EYE3 = numpy.eye(3, dtype=numpy.float32) * 3

CASES = {
    # elementwise math
    'sin': case(lambda C, F, x: F.sin(x), u(3, 4, low=-3, high=3)),
    'cos': case(lambda C, F, x: F.cos(x), u(3, 4, low=-3, high=3)),
    'tan': case(lambda C, F, x: F.tan(x), u(3, 4, low=-1.2, high=1.2)),
    'arcsin': case(lambda C, F, x: F.arcsin(x), u(3, 4, low=-0.9, high=0.9)),
    'arccos': case(lambda C, F, x: F.arccos(x), u(3, 4, low=-0.9, high=0.9)),
    'arctan': case(lambda C, F, x: F.arctan(x), u(3, 4, low=-3, high=3)),
    'arctan2': case(lambda C, F, y, x: F.arctan2(y, x), u(3, 4), u(3, 4)),
    'sinh': case(lambda C, F, x: F.sinh(x), u(3, 4, low=-2, high=2)),
    'cosh': case(lambda C, F, x: F.cosh(x), u(3, 4, low=-2, high=2)),
    'arctanh': case(lambda C, F, x: F.arctanh(x), u(3, 4, low=-0.9, high=0.9)),
    'floor': case(lambda C, F, x: F.floor(x), u(3, 4, low=-3, high=3), grad=False),
    'ceil': case(lambda C, F, x: F.ceil(x), u(3, 4, low=-3, high=3), grad=False),
    'fix': case(lambda C, F, x: F.fix(x), u(3, 4, low=-3, high=3), grad=False),
    'sign': case(lambda C, F, x: F.sign(x), u(3, 4, low=-3, high=3), grad=False),
    'fmod': case(lambda C, F, x, d: F.fmod(x, d), u(3, 4, low=-5, high=5),
                 u(3, 4, low=0.7, high=2)),
    'log1p': case(lambda C, F, x: F.log1p(x), u(3, 4, low=-0.5, high=2)),
    'expm1': case(lambda C, F, x: F.expm1(x), u(3, 4, low=-2, high=2)),
    'log2': case(lambda C, F, x: F.log2(x), u(3, 4, low=0.1, high=5)),
    'log10': case(lambda C, F, x: F.log10(x), u(3, 4, low=0.1, high=5)),
    'erf': case(lambda C, F, x: F.erf(x), u(3, 4, low=-2, high=2)),
    'erfc': case(lambda C, F, x: F.erfc(x), u(3, 4, low=-2, high=2)),
    'erfcx': case(lambda C, F, x: F.erfcx(x), u(3, 4, low=-2, high=4)),
    'erfinv': case(lambda C, F, x: F.erfinv(x), u(3, 4, low=-0.9, high=0.9), rtol=1e-4),
    'erfcinv': case(lambda C, F, x: F.erfcinv(x), u(3, 4, low=0.1, high=1.9), rtol=1e-4),
    'lgamma': case(lambda C, F, x: F.lgamma(x), u(3, 4, low=0.3, high=4)),
    'digamma': case(lambda C, F, x: F.digamma(x), u(3, 4, low=0.3, high=4), rtol=1e-4),
    'polygamma': case(lambda C, F, n, x: F.polygamma(n, x), i(3, 4, low=0, high=3),
                      u(3, 4, low=0.5, high=3), rtol=1e-4),
    'zeta': case(lambda C, F, x, q: F.zeta(x, q), f(3, 4, low=2, high=4), u(3, 4, low=0.5, high=3),
                 rtol=1e-4),
    'ndtr': case(lambda C, F, x: F.ndtr(x), u(3, 4, low=-3, high=3)),
    'ndtri': case(lambda C, F, x: F.ndtri(x), u(3, 4, low=0.05, high=0.95), rtol=1e-4),
    'log_ndtr': case(lambda C, F, x: F.log_ndtr(x), u(3, 4, low=-5, high=3), rtol=1e-4),
    'cumsum_axis1': case(lambda C, F, x: F.cumsum(x, axis=1), u(3, 4)),
    'cumsum_flat': case(lambda C, F, x: F.cumsum(x), u(3, 4)),
    'cumprod_axis0': case(lambda C, F, x: F.cumprod(x, axis=0), u(3, 4, low=0.5, high=1.5)),
    'cumprod_flat': case(lambda C, F, x: F.cumprod(x), u(6, low=0.5, high=1.5)),
    'add': case(lambda C, F, a, b, x: F.add(a, b, x), u(3, 4), u(3, 4), u(3, 4)),
    # linear algebra
    'einsum_matmul': case(lambda C, F, a, b: F.einsum('ij,jk->ik', a, b), u(3, 4), u(4, 2)),
    'einsum_batch': case(lambda C, F, a, b: F.einsum('bij,bjk->bik', a, b), u(2, 3, 4), u(2, 4, 5)),
    'tensordot': case(lambda C, F, a, b: F.tensordot(a, b), u(2, 3, 4), u(3, 4, 5)),
    'tensordot_axes': case(lambda C, F, a, b: F.tensordot(a, b, axes=((0, 2), (1, 0))),
                           u(2, 3, 4), u(4, 2, 5)),
    'linear_interpolate': case(lambda C, F, p, x, y: F.linear_interpolate(p, x, y),
                               u(3, 4, low=0, high=1), u(3, 4), u(3, 4)),
    'batch_l2_norm_squared': case(lambda C, F, x: F.batch_l2_norm_squared(x), u(3, 2, 4)),
    'det': case(lambda C, F, a, eye: F.det(a + eye), u(3, 3), c(EYE3), rtol=1e-4),
    'batch_det': case(lambda C, F, a, eye: F.batch_det(a + eye), u(2, 3, 3), c(EYE3), rtol=1e-4),
    'inv': case(lambda C, F, a, eye: F.inv(a + eye), u(3, 3), c(EYE3), rtol=1e-4),
    'batch_inv': case(lambda C, F, a, eye: F.batch_inv(a + eye), u(2, 3, 3), c(EYE3), rtol=1e-4),
    'cholesky': case(lambda C, F, a, eye: F.cholesky(F.matmul(a, a, transb=True) + eye),
                     u(3, 3), c(EYE3), rtol=1e-4),
    'batch_matmul': case(lambda C, F, a, b: F.batch_matmul(a, b), u(2, 3, 4), u(2, 4, 5)),
    'batch_matmul_vectors': case(lambda C, F, a, b: F.batch_matmul(a, b, transb=True),
                                 u(2, 3), u(2, 3)),
    # activations
    'crelu': case(lambda C, F, x: F.crelu(x), u(2, 3, 4)),
    'crelu_axis2': case(lambda C, F, x: F.crelu(x, axis=2), u(2, 3, 4)),
    'maxout': case(lambda C, F, x: F.maxout(x, 3), u(2, 6, 4)),
    'maxout_axis2': case(lambda C, F, x: F.maxout(x, 2, axis=2), u(2, 3, 4)),
    'rrelu_given_r': case(lambda C, F, x, r: F.rrelu(x, r=r), u(3, 4),
                          f(3, 4, low=0.125, high=0.33)),
    # losses
    'huber_loss': case(lambda C, F, x, t: F.huber_loss(x, t, 1.0), u(3, 4, low=-3, high=3),
                       u(3, 4, low=-3, high=3)),
    'huber_loss_no': case(lambda C, F, x, t: F.huber_loss(x, t, 0.5, reduce='no'),
                          u(3, 4, low=-2, high=2), u(3, 4, low=-2, high=2)),
    'hinge_l1': case(lambda C, F, x, t: F.hinge(x, t), u(5, 4, low=-2, high=2), i(5, high=4)),
    'hinge_l2_no': case(lambda C, F, x, t: F.hinge(x, t, norm='L2', reduce='no'),
                        u(5, 4, low=-2, high=2), i(5, high=4)),
    'contrastive': case(lambda C, F, a, b, y: F.contrastive(a, b, y, margin=1.5),
                        u(6, 3), u(6, 3), i(6, high=2)),
    'contrastive_no': case(lambda C, F, a, b, y: F.contrastive(a, b, y, reduce='no'),
                           u(6, 3), u(6, 3), i(6, high=2)),
    'triplet': case(lambda C, F, a, p, n: F.triplet(a, p, n, margin=0.5),
                    u(6, 3), u(6, 3), u(6, 3)),
    'triplet_no': case(lambda C, F, a, p, n: F.triplet(a, p, n, reduce='no'),
                       u(6, 3), u(6, 3), u(6, 3)),
    'gaussian_kl_divergence': case(lambda C, F, m, v: F.gaussian_kl_divergence(m, v),
                                   u(3, 4), u(3, 4)),
    'gaussian_kl_divergence_mean': case(
        lambda C, F, m, v: F.gaussian_kl_divergence(m, v, reduce='mean'), u(3, 4), u(3, 4)),
    'gaussian_nll': case(lambda C, F, x, m, v: F.gaussian_nll(x, m, v), u(3, 4), u(3, 4), u(3, 4)),
    'gaussian_nll_no': case(lambda C, F, x, m, v: F.gaussian_nll(x, m, v, reduce='no'),
                            u(3, 4), u(3, 4), u(3, 4)),
    'bernoulli_nll': case(lambda C, F, x, y: F.bernoulli_nll(x, y), u(3, 4, low=0, high=1),
                          u(3, 4, low=-3, high=3)),
    'bernoulli_nll_mean': case(lambda C, F, x, y: F.bernoulli_nll(x, y, reduce='mean'),
                               u(3, 4, low=0, high=1), u(3, 4, low=-3, high=3)),
    'decov': case(lambda C, F, h: F.decov(h), u(5, 4)),
    'decov_no': case(lambda C, F, h: F.decov(h, reduce='no'), u(5, 4)),
    'cross_covariance': case(lambda C, F, y, z: F.cross_covariance(y, z), u(5, 4), u(5, 3)),
    'cross_covariance_no': case(lambda C, F, y, z: F.cross_covariance(y, z, reduce='no'),
                                u(5, 4), u(5, 3)),
    # evaluation
    'classification_summary': case(
        lambda C, F, y, t: F.classification_summary(y, t, label_num=4, beta=2.0),
        u(20, 4), i(20, low=-1, high=4), grad=False),
    'precision': case(lambda C, F, y, t: F.precision(y, t), u(20, 3), i(20, high=3), grad=False),
    'recall': case(lambda C, F, y, t: F.recall(y, t), u(20, 3), i(20, high=3), grad=False),
    'f1_score': case(lambda C, F, y, t: F.f1_score(y, t), u(20, 3), i(20, high=3), grad=False),
    'r2_score': case(lambda C, F, p, t: F.r2_score(p, t), u(10, 3), u(10, 3), grad=False),
    'r2_score_raw': case(lambda C, F, p, t: F.r2_score(p, t, multioutput='raw_values'),
                         u(10, 3), u(10, 3), grad=False),
    # arrays
    'hstack': case(lambda C, F, a, b: F.hstack([a, b]), u(2, 3), u(2, 4)),
    'hstack_1d': case(lambda C, F, a, b: F.hstack([a, b]), u(3), u(2)),
    'vstack': case(lambda C, F, a, b: F.vstack([a, b]), u(2, 3), u(1, 3)),
    'vstack_1d': case(lambda C, F, a, b: F.vstack([a, b]), u(3), u(3)),
    'dstack': case(lambda C, F, a, b: F.dstack([a, b]), u(2, 3), u(2, 3)),
    'repeat_axis1': case(lambda C, F, x: F.repeat(x, 2, axis=1), u(2, 3)),
    'repeat_counts': case(lambda C, F, x: F.repeat(x, (1, 0, 3), axis=1), u(2, 3)),
    'repeat_flat': case(lambda C, F, x: F.repeat(x, 2), u(2, 3)),
    'diagonal': case(lambda C, F, x: F.diagonal(x, 1, 0, 2), u(3, 4, 5)),
    'rollaxis': case(lambda C, F, x: F.rollaxis(x, 3, 1), u(2, 3, 4, 5)),
    'rollaxis_forward': case(lambda C, F, x: F.rollaxis(x, 0, 3), u(2, 3, 4, 5)),
    'broadcast': case(lambda C, F, a, b: F.broadcast(a, b), u(3, 1), u(1, 4)),
    'sum_to': case(lambda C, F, x: F.sum_to(x, (3, 1)), u(2, 3, 4)),
    'select_item': case(lambda C, F, x, t: F.select_item(x, t), u(4, 5), i(4, high=5)),
    'permutate': case(lambda C, F, x, p: F.permutate(x, p, axis=1), u(2, 4), c([2, 0, 3, 1])),
    'permutate_inv': case(lambda C, F, x, p: F.permutate(x, p, axis=1, inv=True), u(2, 4),
                          c(numpy.array([2, 0, 3, 1], numpy.int32))),
    'scatter_add': case(lambda C, F, a, b: F.scatter_add(a, ([0, 2, 0], slice(None)), b),
                        u(4, 3), u(3, 3)),
    'depth2space': case(lambda C, F, x: F.depth2space(x, 2), u(2, 8, 3, 3)),
    'space2depth': case(lambda C, F, x: F.space2depth(x, 2), u(2, 2, 6, 4)),
    'im2col': case(lambda C, F, x: F.im2col(x, 3, stride=2, pad=1, cover_all=True), u(2, 3, 5, 6)),
    'im2col_dilated': case(lambda C, F, x: F.im2col(x, (2, 3), dilate=2), u(1, 2, 7, 8)),
    # pooling, convolution, recomputation
    'spatial_pyramid_pooling_2d': case(lambda C, F, x: F.spatial_pyramid_pooling_2d(x, 3, 'max'),
                                       u(2, 3, 7, 9)),
    'dilated_convolution_2d': case(
        lambda C, F, x, w, b: F.dilated_convolution_2d(x, w, b, pad=2, dilate=2),
        u(2, 3, 7, 7), u(4, 3, 3, 3), u(4)),
    'spatial_transformer_grid': case(
        lambda C, F, theta: F.spatial_transformer_grid(theta, (3, 4)), u(2, 2, 3)),
    'spatial_transformer_sampler': case(
        lambda C, F, x, grid: F.spatial_transformer_sampler(x, grid),
        u(2, 3, 4, 5), u(2, 2, 3, 4, low=-1.3, high=1.3)),
    'batch_renormalization': case(
        lambda C, F, x, g, b, m, v: (F.batch_renormalization(
            x, g, b, 1.5, 0.3, running_mean=m, running_var=v, update_statistics=True), m, v),
        u(5, 3, 2, 2), u(3, low=0.5, high=1.5), u(3), f(3, low=-0.5, high=0.5),
        f(3, low=0.5, high=2), rtol=1e-4),
    'batch_renormalization_unclipped': case(
        lambda C, F, x, g, b, m, v: F.batch_renormalization(x, g, b, 10.0, 10.0, 1e-3, m, v),
        u(6, 4), u(4, low=0.5, high=1.5), u(4), f(4, low=-0.5, high=0.5), f(4, low=0.5, high=2),
        rtol=1e-4),
    # N-dimensional convolution and pooling
    'convolution_1d': case(lambda C, F, x, w, b: F.convolution_1d(x, w, b, stride=2, pad=1),
                           u(2, 3, 9), u(4, 3, 3), u(4)),
    'convolution_3d_cover_all': case(
        lambda C, F, x, w: F.convolution_3d(x, w, stride=2, cover_all=True, dilate=(1, 2, 1)),
        u(1, 2, 5, 6, 5), u(3, 2, 2, 2, 2)),
    'convolution_nd_groups': case(
        lambda C, F, x, w, b: F.convolution_nd(x, w, b, pad=(1, 0, 1), groups=2),
        u(2, 4, 3, 4, 3), u(6, 2, 3, 2, 2), u(6), rtol=1e-4),
    'deconvolution_1d': case(lambda C, F, x, w, b: F.deconvolution_1d(x, w, b, stride=2, pad=1),
                             u(2, 3, 5), u(3, 4, 3), u(4)),
    'deconvolution_3d_outsize': case(
        lambda C, F, x, w: F.deconvolution_3d(x, w, stride=2, outsize=(6, 5, 6)),
        u(1, 2, 3, 2, 3), u(2, 3, 2, 3, 2)),
    'deconvolution_nd_groups': case(
        lambda C, F, x, w, b: F.deconvolution_nd(x, w, b, stride=(1, 2), pad=1, groups=2),
        u(2, 4, 3, 4), u(4, 3, 3, 3), u(6), rtol=1e-4),
    'max_pooling_1d': case(lambda C, F, x: F.max_pooling_1d(x, 3, stride=2, pad=1), u(2, 3, 8)),
    'max_pooling_3d': case(lambda C, F, x: F.max_pooling_3d(x, 2), u(1, 2, 5, 4, 3)),
    'max_pooling_nd_floor': case(lambda C, F, x: F.max_pooling_nd(x, (2, 3), 2, cover_all=False),
                                 u(2, 2, 7, 8)),
    'max_pooling_nd_indices': case(
        lambda C, F, x: F.max_pooling_nd(x, 3, 2, 1, return_indices=True)[1], u(1, 2, 5, 6, 4),
        grad=False),
    'average_pooling_1d': case(lambda C, F, x: F.average_pooling_1d(x, 3, 2, 1), u(2, 3, 8)),
    'average_pooling_3d_pad_none': case(
        lambda C, F, x: F.average_pooling_3d(x, 3, 2, 1, pad_value=None), u(1, 2, 5, 4, 5)),
    'average_pooling_nd_2d': case(lambda C, F, x: F.average_pooling_nd(x, 3, 2, 1),
                                  u(2, 2, 5, 6)),
    'unpooling_1d': case(lambda C, F, x: F.unpooling_1d(x, 2), u(2, 3, 4)),
    'unpooling_3d': case(lambda C, F, x: F.unpooling_3d(x, 3, 2, 1, cover_all=False),
                         u(1, 2, 3, 2, 3)),
    'unpooling_nd_outsize': case(lambda C, F, x: F.unpooling_nd(x, 2, outsize=(5, 7)),
                                 u(1, 2, 3, 4)),
    'fft': case(lambda C, F, re, im: F.fft((re, im)), u(3, 8), u(3, 8), rtol=1e-4, atol=1e-5),
    'ifft': case(lambda C, F, re, im: F.ifft((re, im)), u(2, 3, 5), u(2, 3, 5), rtol=1e-4,
                 atol=1e-5),
    'gaussian_given_eps': case(lambda C, F, m, v, e: F.gaussian(m, v, eps=e), u(3, 4), u(3, 4),
                               f(3, 4, low=-2, high=2)),
    'forget': case(lambda C, F, x, y: F.forget(lambda a, b: F.sigmoid(a) * b + F.exp(b), x, y),
                   u(3, 4), u(3, 4)),
}
