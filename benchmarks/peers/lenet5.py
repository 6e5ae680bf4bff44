"""LeNet-5 as the Chainer tutorial defines it (28x28 input, sigmoid, a 4x4
last convolution), written in ``torch.nn``, and MNIST the way
``torchvision.datasets.MNIST`` serves it (a PIL image per sample,
``ToTensor`` and ``Normalize``) in a ``DataLoader`` with 0 workers."""

import torch
from torch import nn
from torchvision import transforms

from peers.data import ArrayImages


class LeNet5(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.conv3 = nn.Conv2d(16, 120, 4)
        self.fc4 = nn.Linear(120, 84)
        self.fc5 = nn.Linear(84, num_classes)
        self.pool = nn.MaxPool2d(2, 2)

    def forward(self, x):
        x = self.pool(torch.sigmoid(self.conv1(x)))
        x = self.pool(torch.sigmoid(self.conv2(x)))
        x = torch.flatten(torch.sigmoid(self.conv3(x)), 1)
        return self.fc5(torch.sigmoid(self.fc4(x)))


def train_loader(images, labels, batch_size=128):
    """MNIST's training set, one sample at a time, in a 0-worker loader."""
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((0.1307,), (0.3081,))])
    return torch.utils.data.DataLoader(ArrayImages(images, labels, transform),
                                       batch_size=batch_size, shuffle=True, num_workers=0,
                                       drop_last=True)


def optimizer(model):
    """Adam, lr 0.01 (the optimizer of chainvision's MNIST default)."""
    return torch.optim.Adam(model.parameters(), lr=0.01)
