"""ResNet-20 for CIFAR-10 as PyTorch users write it (He et al. 2016,
option A shortcuts: subsample and zero-pad the channels), and CIFAR-10 as
``torchvision.datasets.CIFAR10`` serves it, with the tutorials'
pad-crop-flip transforms, in a ``DataLoader`` with 0 workers."""

import torch
import torch.nn.functional as F
from torch import nn
from torchvision import transforms

from peers.data import ArrayImages

CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.stride, self.extra = stride, planes - in_planes

    def shortcut(self, x):
        if self.stride == 1 and self.extra == 0:
            return x
        return F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.extra))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                layers.append(BasicBlock(in_planes, planes, stride if i == 0 else 1))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        out = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(out, 1), 1))


def train_loader(images, labels, batch_size=128):
    """CIFAR-10's training set (uint8 arrays), augmented per sample, in a
    0-worker loader."""
    transform = transforms.Compose([
        transforms.RandomCrop(32, padding=4),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(CIFAR10_MEAN, CIFAR10_STD),
    ])
    return torch.utils.data.DataLoader(ArrayImages(images, labels, transform),
                                       batch_size=batch_size, shuffle=True, num_workers=0,
                                       drop_last=True)


def optimizer(model):
    """He et al.'s SGD: lr 0.1, momentum 0.9, weight decay 1e-4."""
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
