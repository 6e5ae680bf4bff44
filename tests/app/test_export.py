"""``chainvision.export``: every CIFAR-sized zoo model and one ImageNet model
per family, written as ONNX, TorchScript and a ``torch.export`` program,
run by onnxruntime, ``torch.jit.load`` and ``torch.export.load``, agree
with chainvision's own fp32 ``predict`` on the same raw pixels."""

import os
import warnings

import numpy
import pytest
import torch

from chainvision import models
from chainvision.app.export import export
from chainvision.app.inference import InferenceModel

# Every export takes 5-30 s on a 2-core CPU, so CI checks ResNet-20 and
# DenseNet (F.concat) in every format, and CHAINVISION_TEST_EXPORT_ALL=1 runs
# every CIFAR-sized zoo model and one ImageNet network per family at 64x64
# (VGG's class is covered by vgg16_cifar: VGG-16's 550 MB stay out).
EXPORT_ALL = bool(os.environ.get('CHAINVISION_TEST_EXPORT_ALL'))
CIFAR_SIZED = ([name for name in models.names() if models.info(name).input_size[1] <= 32]
               if EXPORT_ALL else ['resnet20', 'densenet_cifar'])
IMAGENET_SIZED = {'resnet50': 64, 'densenet121': 64, 'googlenet': 64} if EXPORT_ALL else {}
FORMATS = ('onnx', 'torchscript', 'pt2')


def run_exported(path, format, pixels):
    """Outputs of the exported file at ``path`` for ``pixels`` (a tensor),
    computed by the runtime each format is meant for."""
    if format == 'onnx':
        onnxruntime = pytest.importorskip('onnxruntime')
        session = onnxruntime.InferenceSession(str(path), providers=['CPUExecutionProvider'])
        return torch.from_numpy(session.run(None, {'pixels': pixels.numpy()})[0])
    if format == 'torchscript':
        return torch.jit.load(str(path))(pixels)
    return torch.export.load(str(path)).module()(pixels)


def _inference_model(name, size=None):
    torch.manual_seed(0)
    shape = models.info(name).input_size
    if size:
        shape = (shape[0], size, size)
    network = models.create(name)
    channels = shape[0]
    return InferenceModel(network, mean=[0.45] * channels, std=[0.22] * channels,
                          input_shape=shape)


def _max_error(model, path, format, batch=3):
    torch.manual_seed(1)
    pixels = torch.randint(0, 256, (batch,) + model.input_shape, dtype=torch.uint8)
    expected = model.predict(pixels, precision='fp32')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        got = run_exported(path, format, pixels.float())
    assert got.shape == expected.shape
    return float((got - expected).abs().max() / expected.abs().max())


@pytest.mark.slow
@pytest.mark.parametrize('format', FORMATS)
@pytest.mark.parametrize('name', CIFAR_SIZED)
def test_exported_cifar_models_match_predict(name, format, tmp_path):
    if format == 'onnx':
        pytest.importorskip('onnxscript')
    model = _inference_model(name)
    path = tmp_path / ('model.' + format)
    assert export(model, path, format, dynamic_batch=True) == path
    assert _max_error(model, path, format) <= 1e-4


@pytest.mark.slow
@pytest.mark.parametrize('format', FORMATS)
@pytest.mark.parametrize('name', sorted(IMAGENET_SIZED))
def test_exported_imagenet_models_match_predict_at_a_small_size(name, format, tmp_path):
    if format == 'onnx':
        pytest.importorskip('onnxscript')
    model = _inference_model(name, IMAGENET_SIZED[name])
    path = tmp_path / ('model.' + format)
    export(model, path, format, dynamic_batch=True)
    assert _max_error(model, path, format) <= 1e-4


@pytest.mark.parametrize('format', FORMATS)
def test_uint8_logits_export_of_a_bare_network(format, tmp_path):
    if format == 'onnx':
        pytest.importorskip('onnxscript')
    torch.manual_seed(0)
    network = models.create('lenet5').eval()
    path = tmp_path / ('lenet.' + format)
    export(network, path, format, input_shape=(1, 28, 28), logits=True, input_dtype='uint8')
    pixels = torch.randint(0, 256, (1, 1, 28, 28), dtype=torch.uint8)
    with torch.no_grad():
        expected = network(pixels.float() / 255)   # no mean and std given: pixels / 255
    got = run_exported(path, format, pixels)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_static_batch_pt2_refuses_another_batch_size(tmp_path):
    model = _inference_model('resnet20')
    export(model, tmp_path / 'm.pt2', 'pt2')
    program = torch.export.load(str(tmp_path / 'm.pt2')).module()
    assert program(torch.zeros(1, 3, 32, 32)).shape == (1, 10)
    with pytest.raises(Exception):
        program(torch.zeros(2, 3, 32, 32))


def test_export_leaves_the_training_mode_and_checks_its_arguments(tmp_path):
    model = _inference_model('resnet20')
    model.train()
    export(model, tmp_path / 'm.torchscript', 'torchscript')
    assert model.training and model.network.training
    with pytest.raises(ValueError, match='format must be one of onnx, torchscript, pt2'):
        export(model, tmp_path / 'm.x', 'tflite')
    with pytest.raises(ValueError, match='input_shape'):
        export(models.create('resnet20'), tmp_path / 'm.pt2', 'pt2')
    with pytest.raises(ValueError, match='own normalisation'):
        export(model, tmp_path / 'm.pt2', 'pt2', mean=[0.5] * 3)


def test_inference_model_normalises_raw_pixels_as_the_training_loader():
    from chainvision.datasets.loader import augment
    model = _inference_model('resnet20').eval()
    pixels = torch.randint(0, 256, (2, 3, 32, 32), dtype=torch.uint8)
    expected = augment.normalize(pixels, model.mean, model.std)
    torch.testing.assert_close(model.normalization(pixels), expected, rtol=0, atol=0)
    # Float input to predict is already normalised: the same probabilities.
    torch.testing.assert_close(model.predict(expected), model.predict(pixels), rtol=0, atol=0)
    torch.testing.assert_close(model.predict(expected.numpy()), model.predict(pixels.numpy()),
                               rtol=0, atol=0)


def test_predict_resizes_pil_images_and_uint8_arrays_of_another_size():
    from PIL import Image
    model = _inference_model('resnet20')
    array = numpy.random.default_rng(0).integers(0, 256, (40, 48, 3), dtype=numpy.uint8)
    picture = Image.fromarray(array)
    resized = numpy.asarray(picture.resize((32, 32), Image.BILINEAR)).transpose(2, 0, 1)
    expected = model.predict(torch.from_numpy(numpy.ascontiguousarray(resized))[None])
    torch.testing.assert_close(model.predict(picture), expected, rtol=0, atol=0)
    torch.testing.assert_close(model.predict(array.transpose(2, 0, 1)[None]), expected,
                               rtol=0, atol=0)
    assert model.top_k([picture], k=2)[0][0][1] == pytest.approx(float(expected.max()))
