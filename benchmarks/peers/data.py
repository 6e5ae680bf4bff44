"""What ``torchvision.datasets.MNIST`` and ``CIFAR10`` return per sample
(a PIL image through the transform, and an int label), from uint8 arrays
``(N, C, H, W)``: the dataset root holds the original MNIST .gz files and
CIFAR-10's batches re-pickled, not the files torchvision's classes verify."""

import numpy
import torch
from PIL import Image


class ArrayImages(torch.utils.data.Dataset):
    def __init__(self, images, labels, transform):
        # HWC (or HW for one channel), as torchvision keeps them.
        images = numpy.asarray(images).transpose(0, 2, 3, 1)
        self.images = images[..., 0] if images.shape[-1] == 1 else images
        self.labels = numpy.asarray(labels)
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        image = Image.fromarray(self.images[index])
        return self.transform(image), int(self.labels[index])
