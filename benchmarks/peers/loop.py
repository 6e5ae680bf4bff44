"""The training loop of the PyTorch tutorials ("Training a Classifier",
the MNIST and ImageNet examples), timed: batches from a ``DataLoader`` moved
to the device, ``CrossEntropyLoss``, ``zero_grad``, ``backward``,
``step``; optionally under ``torch.autocast`` and in channels_last, as the
performance tuning guide adds them."""

import itertools
import time

import torch
from torch import nn

AUTOCAST = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}


def train(model, loader, optimizer, steps, device, precision='fp32', channels_last=False,
          warmup=2):
    """Train ``model`` for ``warmup + steps`` batches of ``loader``; images
    per second of the last ``steps``, data loading included."""
    model.to(device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    model.train()
    criterion = nn.CrossEntropyLoss()
    dtype = AUTOCAST[precision]
    scaler = torch.amp.GradScaler(device.type, enabled=precision == 'fp16')
    batches = itertools.chain.from_iterable(itertools.repeat(loader))
    seen, start = 0, None
    for i, (images, labels) in enumerate(itertools.islice(batches, warmup + steps)):
        if i == warmup:
            _wait(device)
            start = time.perf_counter()
        images, labels = images.to(device), labels.to(device)
        if channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            outputs = model(images)
            loss = criterion(outputs, labels)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        seen += len(images) if i >= warmup else 0
    _wait(device)
    return seen / (time.perf_counter() - start)


def _wait(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
