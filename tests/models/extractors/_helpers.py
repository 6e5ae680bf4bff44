"""Weight files in each source format, made from a randomly filled model:
MSRA's and BVLC's Caffe layer names, torchvision's state_dict names, each
written out here from the published layouts (not from the code under
test)."""

import numpy
import torch

RESNET50_BLOCKS = (3, 4, 6, 3)
# BatchNorm blobs hold sums scaled by this factor (Caffe's moving-average
# normalizer); 2 keeps mean * 2 / 2 exact.
CAFFE_BN_FACTOR = 2.0


def randomize(model, seed=0):
    """Fill every parameter and BatchNorm statistic with random values
    (variances positive) so that no mapping mistake can go unnoticed."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
            values = torch.rand(tensor.shape, generator=generator)
            if name.endswith(('avg_var', 'gamma')):
                tensor.copy_(0.5 + values)
            elif name.endswith('W') and tensor.dim() > 1:
                tensor.copy_((values - 0.5) * (6.0 / tensor[0].numel()) ** 0.5)
            else:
                tensor.copy_(0.2 * (values - 0.5))
    return model


def arrays_of(model):
    """``{path: numpy copy}`` of every parameter and buffer."""
    items = list(model.named_parameters()) + list(model.named_buffers())
    return {name: tensor.detach().numpy().copy() for name, tensor in items}


def _np(tensor):
    return tensor.detach().numpy()


def _caffe_bn(bn, bn_name, scale_name):
    factor = CAFFE_BN_FACTOR
    return [(bn_name, 'BatchNorm', [_np(bn.avg_mean) * factor, _np(bn.avg_var) * factor,
                                    numpy.array([factor], 'f')]),
            (scale_name, 'Scale', [_np(bn.gamma), _np(bn.beta)])]


def resnet50_caffe_layers(model):
    """MSRA's ResNet-50 layers (``conv1``, ``bn_conv1``, ``scale_conv1``,
    ``res2a_branch1``, ``bn2a_branch2a``..., ``fc1000``) with ``model``'s
    values, and parameter-free layers in between as in the real file."""
    layers = [('data', 'Input', []),
              ('conv1', 'Convolution', [_np(model.conv1.W), _np(model.conv1.b)])]
    layers += _caffe_bn(model.bn1, 'bn_conv1', 'scale_conv1')
    layers.append(('conv1_relu', 'ReLU', []))
    for stage, n in zip((2, 3, 4, 5), RESNET50_BLOCKS):
        for i in range(n):
            block = getattr(getattr(model, 'res{}'.format(stage)), 'a' if i == 0 else
                            'b{}'.format(i))
            branches = [(1, '2a'), (2, '2b'), (3, '2c')] + ([(4, '1')] if i == 0 else [])
            for k, branch in branches:
                name = '{}{}_branch{}'.format(stage, 'abcdef'[i], branch)
                layers.append(('res' + name, 'Convolution',
                               [_np(getattr(block, 'conv{}'.format(k)).W)]))
                layers += _caffe_bn(getattr(block, 'bn{}'.format(k)), 'bn' + name, 'scale' + name)
    layers.append(('fc1000', 'InnerProduct', [_np(model.fc6.W), _np(model.fc6.b)]))
    return layers


def googlenet_caffe_layers(model):
    """BVLC's GoogLeNet layers (``conv1/7x7_s2``, ``inception_3a/1x1``...,
    ``loss3/classifier``) with ``model``'s values."""
    names = [('conv1/7x7_s2', model.conv1), ('conv2/3x3_reduce', model.conv2_reduce),
             ('conv2/3x3', model.conv2)]
    for inc in ('3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b'):
        module = getattr(model, 'inc' + inc)
        for suffix, link in (('1x1', module.conv1), ('3x3_reduce', module.proj3),
                             ('3x3', module.conv3), ('5x5_reduce', module.proj5),
                             ('5x5', module.conv5), ('pool_proj', module.projp)):
            names.append(('inception_{}/{}'.format(inc, suffix), link))
    for loss in ('loss1', 'loss2'):
        names += [(loss + '/conv', getattr(model, loss + '_conv')),
                  (loss + '/fc', getattr(model, loss + '_fc1')),
                  (loss + '/classifier', getattr(model, loss + '_fc2'))]
    names.append(('loss3/classifier', model.loss3_fc))
    return [(name, 'Convolution', [_np(link.W), _np(link.b)]) for name, link in names]


def resnet50_torchvision_state_dict(model):
    """torchvision's ``resnet50`` state_dict names with ``model``'s values
    (``conv1.weight``, ``bn1.running_mean``, ``layer1.0.downsample.0.weight``,
    ``fc.bias``...), including the ``num_batches_tracked`` counters."""
    state = {}

    def add_bn(prefix, bn):
        state.update({prefix + '.weight': bn.gamma, prefix + '.bias': bn.beta,
                      prefix + '.running_mean': bn.avg_mean, prefix + '.running_var': bn.avg_var,
                      prefix + '.num_batches_tracked': torch.tensor(7)})

    state['conv1.weight'] = model.conv1.W
    add_bn('bn1', model.bn1)
    for layer, n in enumerate(RESNET50_BLOCKS, start=1):
        stage = getattr(model, 'res{}'.format(layer + 1))
        for i in range(n):
            block = getattr(stage, 'a' if i == 0 else 'b{}'.format(i))
            prefix = 'layer{}.{}.'.format(layer, i)
            for k in (1, 2, 3):
                state[prefix + 'conv{}.weight'.format(k)] = getattr(block, 'conv{}'.format(k)).W
                add_bn(prefix + 'bn{}'.format(k), getattr(block, 'bn{}'.format(k)))
            if i == 0:
                state[prefix + 'downsample.0.weight'] = block.conv4.W
                add_bn(prefix + 'downsample.1', block.bn4)
    state['fc.weight'], state['fc.bias'] = model.fc6.W, model.fc6.b
    return {key: value.detach().clone() for key, value in state.items()}


def torchvision_resnet50_pool5(state, x):
    """torchvision's ResNet-50 (stride on the 3x3 convolutions, stem pooling
    padded by 1, BatchNorm eps 1e-5) in plain ``torch.nn.functional`` on
    normalized RGB input ``x``: the ``(N, 2048)`` pooled features."""
    fn = torch.nn.functional

    def bn(h, prefix):
        return fn.batch_norm(h, state[prefix + '.running_mean'], state[prefix + '.running_var'],
                             state[prefix + '.weight'], state[prefix + '.bias'], eps=1e-5)

    h = fn.relu(bn(fn.conv2d(x, state['conv1.weight'], stride=2, padding=3), 'bn1'))
    h = fn.max_pool2d(h, 3, stride=2, padding=1)
    for layer, n in enumerate(RESNET50_BLOCKS, start=1):
        for i in range(n):
            p = 'layer{}.{}.'.format(layer, i)
            stride = 2 if layer > 1 and i == 0 else 1
            out = fn.relu(bn(fn.conv2d(h, state[p + 'conv1.weight']), p + 'bn1'))
            out = fn.relu(bn(fn.conv2d(out, state[p + 'conv2.weight'], stride=stride, padding=1),
                             p + 'bn2'))
            out = bn(fn.conv2d(out, state[p + 'conv3.weight']), p + 'bn3')
            if i == 0:
                h = bn(fn.conv2d(h, state[p + 'downsample.0.weight'], stride=stride),
                       p + 'downsample.1')
            h = fn.relu(out + h)
    return h.mean(dim=(2, 3))
