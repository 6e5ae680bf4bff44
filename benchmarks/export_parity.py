"""Export parity: the largest difference between chainvision's fp32
``predict`` and each exported file run by its own runtime (onnxruntime,
``torch.jit.load``, ``torch.export.load``), relative to the largest
probability, for every CIFAR-sized zoo model and one ImageNet network per
family at 64x64; printed as a Markdown table.

    python benchmarks/export_parity.py [MODEL ...]

Random weights (seed 0), 3 images of random pixels, dynamic batch (exported
at batch 2, run at 3), normalisation mean 0.45 and std 0.22.
"""

import sys
import tempfile
import time
import warnings

import onnxruntime
import torch

from chainvision import models
from chainvision.app.export import export
from chainvision.app.inference import InferenceModel

IMAGENET_AT_64 = ('resnet50', 'densenet121', 'googlenet')
FORMATS = ('onnx', 'torchscript', 'pt2')


def run_file(path, format, pixels):
    if format == 'onnx':
        session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
        return torch.from_numpy(session.run(None, {'pixels': pixels.numpy()})[0])
    if format == 'torchscript':
        return torch.jit.load(path)(pixels)
    return torch.export.load(path).module()(pixels)


def parity(name, folder):
    torch.manual_seed(0)
    shape = models.info(name).input_size
    if name in IMAGENET_AT_64:
        shape = (shape[0], 64, 64)
    model = InferenceModel(models.create(name), [0.45] * shape[0], [0.22] * shape[0],
                           input_shape=shape)
    pixels = torch.randint(0, 256, (3,) + shape, dtype=torch.uint8)
    expected = model.predict(pixels)
    row = []
    for format in FORMATS:
        path = '{}/{}.{}'.format(folder, name, format)
        start = time.perf_counter()
        export(model, path, format, dynamic_batch=True)
        seconds = time.perf_counter() - start
        got = run_file(path, format, pixels.float())
        row.append('{:.1e} ({:.0f} s)'.format(
            float((got - expected).abs().max() / expected.abs().max()), seconds))
    return row


def main(names):
    warnings.simplefilter('ignore')
    names = names or [n for n in models.names() if models.info(n).input_size[1] <= 32] + list(
        IMAGENET_AT_64)
    print('| model | ' + ' | '.join('{} (export time)'.format(f) for f in FORMATS) + ' |')
    print('| --- ' * (len(FORMATS) + 1) + '|')
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            print('| {} | {} |'.format(name, ' | '.join(parity(name, folder))), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
