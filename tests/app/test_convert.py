"""``chainvision convert SRC DST``: every source format (a chainvision
checkpoint, Chainer's npz, a bare state dict of the zoo network,
torchvision's ``.pth``, timm's ``.safetensors``, a Caffe ``.caffemodel``)
written to every target container (``.pt``, ``.safetensors``, ``.npz``),
and the model loaded from DST gives the outputs of SRC's own network on the
same pixels; wrong and truncated files name themselves."""

import re

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import models
from chainvision.app.checkpoint import save_checkpoint
from chainvision.app.convert import convert
from chainvision.cli.main import main
from chainvision.serializers import save_npz
from tests.models.extractors import _helpers
from tests.models.weights._caffe_writer import write_caffemodel

TARGETS = ('.pt', '.safetensors', '.npz')
MEAN, STD = [0.49, 0.48, 0.45], [0.25, 0.24, 0.26]


pytestmark = pytest.mark.usefixtures('one_cpu_thread')


def _pixels(size, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (2, 3, size, size), dtype=torch.uint8, generator=generator)


def _assert_same_logits(got, expected, tolerance=1e-5):
    """Within ``tolerance`` of the largest expected logit."""
    assert got.shape == expected.shape
    assert float((got - expected).abs().max()) <= tolerance * float(expected.abs().max())


def _logits_of(path, pixels):
    with torch.no_grad():
        return chainvision.load(path).logits(pixels)


@pytest.fixture(scope='module')
def resnet20():
    torch.manual_seed(0)
    return _helpers.randomize(models.create('resnet20')).eval()


@pytest.fixture(scope='module')
def resnet50():
    return _helpers.randomize(models.create('resnet50', conv1_bias=True, stride_in='1x1')).eval()


def _normalised(pixels, mean, std):
    return ((pixels.float() / 255 - torch.tensor(mean).view(1, -1, 1, 1))
            / torch.tensor(std).view(1, -1, 1, 1))


@pytest.fixture(scope='module')
def sources(resnet20, resnet50, tmp_path_factory):
    """``{kind: (path, --model or None, expected logits of _pixels)}``, each
    expected from the source's own network: the network saved, the
    plain-functional torchvision ResNet-50 of the state dict, Chainer's
    ResNet-50 extractor (checked against Chainer 7.8.1) on Caffe's BGR
    input."""
    folder = tmp_path_factory.mktemp('sources')
    small, large = _pixels(32), _pixels(64)
    with torch.no_grad():
        r20_pixels_255 = resnet20(_normalised(small, [0.] * 3, [1.] * 3))
        r20_checkpoint = resnet20(_normalised(small, MEAN, STD))
    save_checkpoint(str(folder / 'best.pt'), resnet20, {
        'model': 'resnet20', 'model_kwargs': {}, 'class_names': list('abcdefghij'),
        'image_shape': [3, 32, 32], 'mean': MEAN, 'std': STD})
    save_npz(str(folder / 'chainer.npz'), resnet20)
    torch.save(resnet20.state_dict(), folder / 'state_dict.pth')
    state = _helpers.resnet50_torchvision_state_dict(resnet50)
    torch.save(state, folder / 'resnet50-0676ba61.pth')
    from safetensors.torch import save_file
    save_file({k: v.contiguous() for k, v in state.items()},
              str(folder / 'resnet50.a1_in1k.safetensors'))
    imagenet = models.weights.pretrained_config('resnet50.tv_in1k')
    with torch.no_grad():
        torchvision_logits = torch.nn.functional.linear(
            _helpers.torchvision_resnet50_pool5(state, _normalised(large, imagenet.mean,
                                                                   imagenet.std)),
            state['fc.weight'], state['fc.bias'])
    write_caffemodel(folder / 'ResNet-50-model.caffemodel',
                     _helpers.resnet50_caffe_layers(resnet50))
    extractor = L.ResNet50Layers(pretrained_model=str(folder / 'ResNet-50-model.caffemodel'))
    caffe_mean = torch.tensor((103.063, 115.903, 123.152)).view(1, 3, 1, 1)
    with torch.no_grad():
        caffe_logits = extractor.eval()(large.float().flip(1) - caffe_mean, layers=['fc6'])['fc6']
    return {'checkpoint': (folder / 'best.pt', None, r20_checkpoint),
            'run folder': (folder, None, r20_checkpoint),
            'chainer npz': (folder / 'chainer.npz', 'resnet20', r20_pixels_255),
            'state dict': (folder / 'state_dict.pth', 'resnet20', r20_pixels_255),
            'torchvision pth': (folder / 'resnet50-0676ba61.pth', 'resnet50', torchvision_logits),
            'timm safetensors': (folder / 'resnet50.a1_in1k.safetensors', 'resnet50',
                                 torchvision_logits),
            'caffemodel': (folder / 'ResNet-50-model.caffemodel', 'resnet50', caffe_logits)}


@pytest.mark.slow
@pytest.mark.parametrize('target', TARGETS)
@pytest.mark.parametrize('kind', ['checkpoint', 'run folder', 'chainer npz', 'state dict',
                                  'torchvision pth', 'timm safetensors', 'caffemodel'])
def test_every_source_to_every_target_keeps_the_outputs(sources, kind, target, tmp_path):
    source, model, expected = sources[kind]
    destination = tmp_path / ('converted' + target)
    description = convert(source, destination, model)
    pixels = _pixels(32 if description['model'] == 'resnet20' else 64)
    _assert_same_logits(_logits_of(destination, pixels), expected)
    # ... and the description travels: a second conversion needs no --model.
    again = tmp_path / ('again' + ('.npz' if target != '.npz' else '.safetensors'))
    convert(destination, again)
    _assert_same_logits(_logits_of(again, pixels), expected)


def test_published_weights_bring_imagenet_names_and_normalisation(sources, tmp_path):
    source, _, _ = sources['torchvision pth']
    convert(source, tmp_path / 'r50.safetensors', 'resnet50')
    model = chainvision.load(tmp_path / 'r50.safetensors')
    config = models.weights.pretrained_config('resnet50.tv_in1k')
    assert model.class_names[:2] == ['tench', 'goldfish'] and len(model.class_names) == 1000
    assert (model.mean, model.std, model.input_shape) == (
        list(config.mean), list(config.std), (3, 224, 224))
    # The InferenceModel of a network built with the weights knows the same.
    direct = chainvision.InferenceModel(models.create('resnet50', pretrained=source))
    assert direct.class_names == model.class_names and direct.input_shape == (3, 224, 224)
    pixels = _pixels(64)
    names = [name for name, _ in direct.top_k(pixels, k=3)[0]]
    assert names == [name for name, _ in model.top_k(pixels, k=3)[0]]
    assert all(name in model.class_names for name in names)


def test_another_num_classes_keeps_the_body_and_names_classes_by_number(sources, tmp_path):
    source, _, _ = sources['torchvision pth']
    with pytest.warns(UserWarning, match='1000 classes, the model 10'):
        description = convert(source, tmp_path / 'r50.npz', 'resnet50', num_classes=10)
    assert description['class_names'] == [str(i) for i in range(10)]
    model = chainvision.load(tmp_path / 'r50.npz')
    state = torch.load(source)
    torch.testing.assert_close(model.network.res5.a.conv1.W, state['layer4.0.conv1.weight'],
                               rtol=0, atol=0)
    assert model.network.fc6.W.shape == (10, 2048)


def test_converted_npz_is_read_by_load_npz_into_the_network(sources, resnet20, tmp_path):
    convert(sources['checkpoint'][0], tmp_path / 'r20.npz')
    network = models.create('resnet20')
    chainvision.serializers.load_npz(str(tmp_path / 'r20.npz'), network)
    for (key, value), expected in zip(network.state_dict().items(),
                                      resnet20.state_dict().values()):
        torch.testing.assert_close(value, expected, rtol=0, atol=0, msg=key)


def test_wrong_files_name_themselves(sources, tmp_path):
    state_dict, _, _ = sources['state dict']
    with pytest.raises(ValueError, match='holds weights without their network'):
        convert(state_dict, tmp_path / 'x.pt')
    with pytest.raises(ValueError, match=re.escape(str(state_dict)) + ' does not fit'):
        convert(state_dict, tmp_path / 'x.pt', 'resnet32')
    torchvision_pth, _, _ = sources['torchvision pth']
    with pytest.raises(ValueError, match=re.escape(str(torchvision_pth)) + ".*vgg16"):
        convert(torchvision_pth, tmp_path / 'x.pt', 'vgg16')
    checkpoint, _, _ = sources['checkpoint']
    with pytest.raises(ValueError, match='is a checkpoint of resnet20, not resnet56'):
        convert(checkpoint, tmp_path / 'x.pt', 'resnet56')
    with pytest.raises(ValueError, match=r"x\.caffemodel: convert writes \.pt, \.safetensors"):
        convert(checkpoint, tmp_path / 'x.caffemodel')
    assert not (tmp_path / 'x.pt').exists()


@pytest.mark.parametrize('kind', ['checkpoint', 'state dict', 'chainer npz', 'timm safetensors',
                                  'caffemodel', 'converted npz', 'converted safetensors'])
def test_truncated_files_name_themselves_on_the_command_line(sources, kind, tmp_path, capsys):
    if kind.startswith('converted'):
        source = tmp_path / ('whole.' + kind.split()[1])
        convert(sources['checkpoint'][0], source)
        model = None
    else:
        source, model, _ = sources[kind]
    data = source.read_bytes()
    cut = tmp_path / ('cut' + source.suffix)
    cut.write_bytes(data[:len(data) // 2])
    argv = ['convert', str(cut), str(tmp_path / 'out.safetensors')]
    assert main(argv + (['--model', model] if model else [])) == 1
    error = capsys.readouterr().err
    assert error.startswith('chainvision: error: ') and str(cut) in error
    assert len(error.splitlines()) == 1 and not (tmp_path / 'out.safetensors').exists()


def test_convert_command_prints_what_it_wrote(sources, tmp_path, capsys):
    source, _, _ = sources['chainer npz']
    assert main(['convert', str(source), str(tmp_path / 'r20.safetensors'), '--model',
                 'resnet20', '--num-classes', '10']) == 0
    assert capsys.readouterr().out == 'Wrote {} (resnet20, 10 classes, input 3x32x32).\n'.format(
        tmp_path / 'r20.safetensors')
    assert main(['convert', str(source), str(tmp_path / 'r20.pt')]) == 2
    assert '--model resnet20' in capsys.readouterr().err
