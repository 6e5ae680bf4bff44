"""chainer.dataset.converter: converters receive a Device, whatever the caller passes."""

import numpy
import pytest
import torch

from chainvision import backend, dataset, iterators, optimizers, training
import chainvision.links as L


def test_converter_turns_device_specifiers_into_devices():
    seen = []

    @dataset.converter()
    def convert(batch, device):
        seen.append(device)
        return dataset.concat_examples(batch, device)

    assert isinstance(convert, dataset.Converter)
    batch = [(numpy.ones(2, numpy.float32), numpy.int32(0))] * 3
    x, t = convert(batch, -1)
    convert(batch, device='@numpy')
    convert(batch, None)
    assert isinstance(x, torch.Tensor) and x.shape == (3, 2)
    assert isinstance(seen[0], backend.CpuDevice) and isinstance(seen[1], backend.CpuDevice)
    assert seen[2] is None
    with pytest.raises(TypeError, match='callable'):
        dataset.converter()(3)


def test_a_converter_works_in_the_standard_updater():
    @dataset.converter()
    def convert(batch, device):
        x, t = dataset.concat_examples(batch, device)
        return x * 0, t

    data = [(numpy.ones(3, numpy.float32), numpy.int32(1))] * 4
    model = L.Classifier(L.Linear(3, 2))
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    W = model.predictor.W.detach().clone()
    updater = training.updaters.StandardUpdater(
        iterators.SerialIterator(data, 2), optimizer, converter=convert, device=-1)
    updater.update()
    # The converter zeroed the inputs, so only the bias moved.
    assert torch.equal(model.predictor.W.detach(), W)
    assert model.predictor.b.detach().abs().sum() > 0


def test_the_base_class_must_be_implemented():
    with pytest.raises(NotImplementedError, match='__call__'):
        dataset.Converter()([], None)
