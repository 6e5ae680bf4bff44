"""Differentiable functions with Chainer's names and semantics (``F``).

Every function accepts NumPy arrays or ``torch.Tensor`` and returns a
``torch.Tensor`` (NumPy inputs join the device of any tensor input).  They
are plain PyTorch operations, so they run on CUDA and under autocast, and
autograd differentiates them.
"""

from chainvision.functions.activation.clipped_relu import clipped_relu  # noqa: F401
from chainvision.functions.activation.crelu import crelu  # noqa: F401
from chainvision.functions.activation.elu import elu  # noqa: F401
from chainvision.functions.activation.gelu import gelu  # noqa: F401
from chainvision.functions.activation.hard_sigmoid import hard_sigmoid  # noqa: F401
from chainvision.functions.activation.leaky_relu import leaky_relu  # noqa: F401
from chainvision.functions.activation.log_softmax import log_softmax  # noqa: F401
from chainvision.functions.activation.maxout import maxout  # noqa: F401
from chainvision.functions.activation.prelu import prelu  # noqa: F401
from chainvision.functions.activation.relu import relu  # noqa: F401
from chainvision.functions.activation.relu6 import relu6  # noqa: F401
from chainvision.functions.activation.rrelu import rrelu  # noqa: F401
from chainvision.functions.activation.selu import selu  # noqa: F401
from chainvision.functions.activation.sigmoid import sigmoid  # noqa: F401
from chainvision.functions.activation.softmax import softmax  # noqa: F401
from chainvision.functions.activation.softplus import softplus  # noqa: F401
from chainvision.functions.activation.swish import swish  # noqa: F401
from chainvision.functions.activation.tanh import tanh  # noqa: F401
from chainvision.functions.array.broadcast import broadcast, broadcast_to  # noqa: F401
from chainvision.functions.array.cast import cast  # noqa: F401
from chainvision.functions.array.concat import concat  # noqa: F401
from chainvision.functions.array.copy import copy  # noqa: F401
from chainvision.functions.array.depth2space import depth2space  # noqa: F401
from chainvision.functions.array.diagonal import diagonal  # noqa: F401
from chainvision.functions.array.dstack import dstack  # noqa: F401
from chainvision.functions.array.expand_dims import expand_dims  # noqa: F401
from chainvision.functions.array.flatten import flatten  # noqa: F401
from chainvision.functions.array.flip import flip, fliplr, flipud  # noqa: F401
from chainvision.functions.array.get_item import get_item  # noqa: F401
from chainvision.functions.array.hstack import hstack  # noqa: F401
from chainvision.functions.array.im2col import im2col  # noqa: F401
from chainvision.functions.array.moveaxis import moveaxis  # noqa: F401
from chainvision.functions.array.pad import pad  # noqa: F401
from chainvision.functions.array.permutate import permutate  # noqa: F401
from chainvision.functions.array.repeat import repeat  # noqa: F401
from chainvision.functions.array.reshape import reshape  # noqa: F401
from chainvision.functions.array.resize_images import resize_images  # noqa: F401
from chainvision.functions.array.rollaxis import rollaxis  # noqa: F401
from chainvision.functions.array.scatter_add import scatter_add  # noqa: F401
from chainvision.functions.array.select_item import select_item  # noqa: F401
from chainvision.functions.array.separate import separate  # noqa: F401
from chainvision.functions.array.space2depth import space2depth  # noqa: F401
from chainvision.functions.array.spatial_transformer_grid import (  # noqa: F401
    spatial_transformer_grid)
from chainvision.functions.array.spatial_transformer_sampler import (  # noqa: F401
    spatial_transformer_sampler)
from chainvision.functions.array.split_axis import split_axis  # noqa: F401
from chainvision.functions.array.squeeze import squeeze  # noqa: F401
from chainvision.functions.array.stack import stack  # noqa: F401
from chainvision.functions.array.swapaxes import swapaxes  # noqa: F401
from chainvision.functions.array.tile import tile  # noqa: F401
from chainvision.functions.array.transpose import transpose  # noqa: F401
from chainvision.functions.array.vstack import vstack  # noqa: F401
from chainvision.functions.array.where import where  # noqa: F401
from chainvision.functions.connection.convolution_2d import convolution_2d  # noqa: F401
from chainvision.functions.connection.convolution_nd import (  # noqa: F401
    convolution_1d, convolution_3d, convolution_nd)
from chainvision.functions.connection.deconvolution_2d import deconvolution_2d  # noqa: F401
from chainvision.functions.connection.deconvolution_nd import (  # noqa: F401
    deconvolution_1d, deconvolution_3d, deconvolution_nd)
from chainvision.functions.connection.depthwise_convolution_2d import (  # noqa: F401
    depthwise_convolution_2d)
from chainvision.functions.connection.dilated_convolution_2d import (  # noqa: F401
    dilated_convolution_2d)
from chainvision.functions.connection.linear import linear  # noqa: F401
from chainvision.functions.evaluation.accuracy import accuracy  # noqa: F401
from chainvision.functions.evaluation.binary_accuracy import binary_accuracy  # noqa: F401
from chainvision.functions.evaluation.classification_summary import (  # noqa: F401
    classification_summary, f1_score, precision, recall)
from chainvision.functions.evaluation.r2_score import r2_score  # noqa: F401
from chainvision.functions.loss.absolute_error import absolute_error  # noqa: F401
from chainvision.functions.loss.contrastive import contrastive  # noqa: F401
from chainvision.functions.loss.cross_covariance import cross_covariance  # noqa: F401
from chainvision.functions.loss.decov import decov  # noqa: F401
from chainvision.functions.loss.hinge import hinge  # noqa: F401
from chainvision.functions.loss.huber_loss import huber_loss  # noqa: F401
from chainvision.functions.loss.mean_absolute_error import mean_absolute_error  # noqa: F401
from chainvision.functions.loss.mean_squared_error import mean_squared_error  # noqa: F401
from chainvision.functions.loss.sigmoid_cross_entropy import sigmoid_cross_entropy  # noqa: F401
from chainvision.functions.loss.softmax_cross_entropy import softmax_cross_entropy  # noqa: F401
from chainvision.functions.loss.squared_error import (  # noqa: F401
    squared_difference, squared_error)
from chainvision.functions.loss.triplet import triplet  # noqa: F401
from chainvision.functions.loss.vae import (  # noqa: F401
    bernoulli_nll, gaussian_kl_divergence, gaussian_nll)
from chainvision.functions.math.absolute import absolute  # noqa: F401
from chainvision.functions.math.add import add  # noqa: F401
from chainvision.functions.math.average import average, mean  # noqa: F401
from chainvision.functions.math.batch_l2_norm_squared import batch_l2_norm_squared  # noqa: F401
from chainvision.functions.math.bias import bias  # noqa: F401
from chainvision.functions.math.ceil import ceil  # noqa: F401
from chainvision.functions.math.cholesky import cholesky  # noqa: F401
from chainvision.functions.math.clip import clip  # noqa: F401
from chainvision.functions.math.cumprod import cumprod  # noqa: F401
from chainvision.functions.math.cumsum import cumsum  # noqa: F401
from chainvision.functions.math.det import batch_det, det  # noqa: F401
from chainvision.functions.math.digamma import digamma  # noqa: F401
from chainvision.functions.math.einsum import einsum  # noqa: F401
from chainvision.functions.math.erf import erf  # noqa: F401
from chainvision.functions.math.erfc import erfc  # noqa: F401
from chainvision.functions.math.erfcinv import erfcinv  # noqa: F401
from chainvision.functions.math.erfcx import erfcx  # noqa: F401
from chainvision.functions.math.erfinv import erfinv  # noqa: F401
from chainvision.functions.math.exponential import exp, log, log2, log10  # noqa: F401
from chainvision.functions.math.exponential_m1 import expm1  # noqa: F401
from chainvision.functions.math.fft import fft, ifft  # noqa: F401
from chainvision.functions.math.fix import fix  # noqa: F401
from chainvision.functions.math.floor import floor  # noqa: F401
from chainvision.functions.math.fmod import fmod  # noqa: F401
from chainvision.functions.math.hyperbolic import arctanh, cosh, sinh  # noqa: F401
from chainvision.functions.math.identity import identity  # noqa: F401
from chainvision.functions.math.inv import batch_inv, inv  # noqa: F401
from chainvision.functions.math.lgamma import lgamma  # noqa: F401
from chainvision.functions.math.linear_interpolate import linear_interpolate  # noqa: F401
from chainvision.functions.math.log_ndtr import log_ndtr  # noqa: F401
from chainvision.functions.math.logarithm_1p import log1p  # noqa: F401
from chainvision.functions.math.logsumexp import logsumexp  # noqa: F401
from chainvision.functions.math.matmul import batch_matmul, matmul  # noqa: F401
from chainvision.functions.math.maximum import maximum  # noqa: F401
from chainvision.functions.math.minimum import minimum  # noqa: F401
from chainvision.functions.math.minmax import argmax, argmin, max, min  # noqa: F401
from chainvision.functions.math.ndtr import ndtr  # noqa: F401
from chainvision.functions.math.ndtri import ndtri  # noqa: F401
from chainvision.functions.math.polygamma import polygamma  # noqa: F401
from chainvision.functions.math.prod import prod  # noqa: F401
from chainvision.functions.math.scale import scale  # noqa: F401
from chainvision.functions.math.sign import sign  # noqa: F401
from chainvision.functions.math.sqrt import rsqrt, sqrt  # noqa: F401
from chainvision.functions.math.square import square  # noqa: F401
from chainvision.functions.math.sum import sum, sum_to  # noqa: F401
from chainvision.functions.math.tensordot import tensordot  # noqa: F401
from chainvision.functions.math.trigonometric import (  # noqa: F401
    arccos, arcsin, arctan, arctan2, cos, sin, tan)
from chainvision.functions.math.zeta import zeta  # noqa: F401
from chainvision.functions.noise.dropout import dropout  # noqa: F401
from chainvision.functions.noise.gaussian import gaussian  # noqa: F401
from chainvision.functions.noise.gumbel_softmax import gumbel_softmax  # noqa: F401
from chainvision.functions.normalization.batch_normalization import (  # noqa: F401
    batch_normalization, fixed_batch_normalization)
from chainvision.functions.normalization.batch_renormalization import (  # noqa: F401
    batch_renormalization, fixed_batch_renormalization)
from chainvision.functions.normalization.group_normalization import (  # noqa: F401
    group_normalization)
from chainvision.functions.normalization.l2_normalization import normalize  # noqa: F401
from chainvision.functions.normalization.layer_normalization import (  # noqa: F401
    layer_normalization)
from chainvision.functions.normalization.local_response_normalization import (  # noqa: F401
    local_response_normalization)
from chainvision.functions.pooling.average_pooling_2d import average_pooling_2d  # noqa: F401
from chainvision.functions.pooling.average_pooling_nd import (  # noqa: F401
    average_pooling_1d, average_pooling_3d, average_pooling_nd)
from chainvision.functions.pooling.max_pooling_2d import max_pooling_2d  # noqa: F401
from chainvision.functions.pooling.max_pooling_nd import (  # noqa: F401
    max_pooling_1d, max_pooling_3d, max_pooling_nd)
from chainvision.functions.pooling.spatial_pyramid_pooling_2d import (  # noqa: F401
    spatial_pyramid_pooling_2d)
from chainvision.functions.pooling.unpooling_2d import unpooling_2d  # noqa: F401
from chainvision.functions.pooling.unpooling_nd import (  # noqa: F401
    unpooling_1d, unpooling_3d, unpooling_nd)
from chainvision.functions.pooling.upsampling_2d import upsampling_2d  # noqa: F401
from chainvision.functions.util.forget import forget  # noqa: F401
