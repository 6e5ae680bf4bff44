"""Input pipeline benchmark: chainvision's DeviceLoader against the usual
PyTorch way, alone and inside a ResNet-20 CIFAR-10 training step.

The usual way is a per-sample Dataset (Pillow image, random crop with
4-pixel zero padding, horizontal flip, to-tensor, normalise — what
torchvision's ``RandomCrop(32, 4)``, ``RandomHorizontalFlip``,
``ToTensor`` and ``Normalize`` do) in a ``torch.utils.data.DataLoader``
with 0 and 2 workers.  DeviceLoader applies the same augmentations to the
whole batch at once with tensor operations on uint8 data already in place.

Run:  CHAINVISION_DATASET_ROOT=../shared/data python benchmarks/input_pipeline.py

Measured 2026-11-23 on this project's 2-core CPU (torch 2.13, shared with
other jobs, hence the fastest of 12 rotating rounds), batch 128:

    input                          pipeline img/s  train step img/s  pipeline / step time
    chainvision DeviceLoader                75315             621.4                  0.8%
    DataLoader, 0 workers                   19477             615.4                  3.2%
    DataLoader, 2 workers                   28833             612.7                  2.2%
    no pipeline (one fixed batch)               -             629.2

DeviceLoader's pipeline alone runs at 120x the training step's rate, and
its training step is the fastest of the three inputs (1.2% below the bare
step, against 2.2% and 2.6%).  On 32x32 images the per-sample way is
cheap too, so the margin is small on a CPU.  On a GPU the step is much
shorter and the DataLoader's batches must also be copied to the device,
so the pipeline weighs more there (not measured: no GPU on this machine).
"""

import argparse
import time

import numpy
import torch
import torch.nn.functional as F
from PIL import Image

import chainvision.models
from chainvision import datasets


class PerSampleCifar(torch.utils.data.Dataset):
    """The usual PyTorch way: one Pillow image at a time."""

    def __init__(self, images, labels, mean, std):
        self.images = numpy.ascontiguousarray(numpy.asarray(images).transpose(0, 2, 3, 1))
        self.labels = numpy.asarray(labels)
        self.mean = torch.tensor(mean, dtype=torch.float32)[:, None, None]
        self.std = torch.tensor(std, dtype=torch.float32)[:, None, None]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.fromarray(self.images[i])
        padded = Image.new('RGB', (40, 40))
        padded.paste(image, (4, 4))
        top, left = numpy.random.randint(0, 9, 2)
        image = padded.crop((left, top, left + 32, top + 32))
        if numpy.random.rand() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
        x = torch.from_numpy(numpy.asarray(image, dtype=numpy.uint8).copy())
        x = x.permute(2, 0, 1).float().div_(255)
        return (x - self.mean) / self.std, int(self.labels[i])


def dataloader_batches(dataset, batch_size, workers):
    loader = torch.utils.data.DataLoader(dataset, batch_size, shuffle=True, drop_last=True,
                                         num_workers=workers, persistent_workers=workers > 0)
    while True:
        yield from loader


def device_loader_batches(images, labels, batch_size, mean, std):
    loader = datasets.DeviceLoader(images, labels, batch_size,
                                   datasets.Augmentation(crop_padding=4, flip=True),
                                   mean=mean, std=std, drop_last=True)
    while True:
        yield loader.next()


def fixed_batches(images, labels, batch_size, mean, std):
    loader = datasets.DeviceLoader(images[:batch_size], labels[:batch_size], batch_size,
                                   mean=mean, std=std, shuffle=False)
    batch = loader.next()
    while True:
        yield batch


def block_seconds(batches, steps, step=None, warmup=1):
    """Seconds taken by ``steps`` consecutive batches (or training steps)
    after ``warmup`` untimed ones.  A sustained rate: workers that compete
    with the training for the cores pay for it."""
    for _ in range(warmup):
        x, t = next(batches)
        if step:
            step(x, t)
    start = time.perf_counter()
    for _ in range(steps):
        x, t = next(batches)
        if step:
            step(x, t)
    return time.perf_counter() - start


def make_training_step(model):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    model.train()

    def step(x, t):
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), t).backward()
        optimizer.step()
    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--pipeline-steps', type=int, default=40)
    parser.add_argument('--train-steps', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=12)
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    numpy.random.seed(0)
    images, labels = datasets.load_arrays('cifar10', 'train')
    images, labels = numpy.array(images), numpy.array(labels)
    mean, std = datasets.train_mean_std('cifar10')
    per_sample = PerSampleCifar(images, labels, mean, std)
    b = args.batch_size
    sources = {
        'chainvision DeviceLoader': device_loader_batches(images, labels, b, mean, std),
        'DataLoader, 0 workers': dataloader_batches(per_sample, b, 0),
        'DataLoader, 2 workers': dataloader_batches(per_sample, b, 2),
        'no pipeline (one fixed batch)': fixed_batches(images, labels, b, mean, std),
    }
    step = make_training_step(chainvision.models.create('resnet20'))
    pipeline = {name: [] for name in sources}
    train = {name: [] for name in sources}
    # Rounds rotate through the variants, so load from other processes on
    # a shared machine falls on all of them alike; the fastest round of each
    # estimates its cost on an idle machine (load only ever adds time).
    for _ in range(args.rounds):
        for name, batches in sources.items():
            # Warm-up drains the 4 batches two workers prefetch meanwhile.
            pipeline[name].append(block_seconds(batches, args.pipeline_steps, warmup=5) /
                                  args.pipeline_steps)
            train[name].append(block_seconds(batches, args.train_steps, step) / args.train_steps)
    bare = min(train['no pipeline (one fixed batch)'])
    print('ResNet-20 on CIFAR-10, batch {}, {} CPU threads; sustained images/s, fastest of {} '
          'rounds'.format(b, torch.get_num_threads(), args.rounds))
    print('{:<32}{:>16}{:>18}{:>22}'.format('input', 'pipeline img/s', 'train step img/s',
                                            'pipeline / step time'))
    for name in sources:
        if name.startswith('no pipeline'):
            print('{:<32}{:>16}{:>18.1f}'.format(name, '-', b / bare))
            continue
        seconds = min(pipeline[name])
        print('{:<32}{:>16.0f}{:>18.1f}{:>21.1f}%'.format(
            name, b / seconds, b / min(train[name]), 100 * seconds / bare))


if __name__ == '__main__':
    main()
