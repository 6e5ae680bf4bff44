"""``Sequential``: a link that applies its layers one after another."""

import torch

from chainvision.link import ChainList


class Sequential(ChainList):
    """Apply layers in order: ``Sequential(l1, F.relu, l2)(x) == l2(F.relu(l1(x)))``.

    Layers are links (any ``torch.nn.Module``) or plain callables: functions,
    ``functools.partial`` objects, lambdas.  Links are registered as children
    numbered among links only, as in Chainer, so
    ``Sequential(L.Linear(3, 4), F.relu, L.Linear(4, 2))`` has parameters
    ``/0/W`` and ``/1/W``.  A layer returning a tuple passes it on as
    positional arguments.

    Supports ``append``, ``extend``, ``insert``, ``pop``, ``remove``,
    ``index``, ``count``, indexing (slices give a new ``Sequential``),
    ``len``, iteration, ``+`` and ``flatten``.
    """

    def __init__(self, *layers):
        super().__init__()
        object.__setattr__(self, '_layers', [])
        for layer in layers:
            self.append(layer)

    def _register_links(self):
        # Children are renumbered so that names stay '0', '1', ... in order.
        self._modules.clear()
        for layer in self._layers:
            if isinstance(layer, torch.nn.Module):
                self._modules[str(len(self._modules))] = layer

    def forward(self, *x):
        """Feed the inputs through every layer in turn."""
        if not self._layers:
            raise RuntimeError('Sequential has no layers to apply.')
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def append(self, layer):
        """Add ``layer`` at the end."""
        self.insert(len(self._layers), layer)

    add_link = append

    def extend(self, layers):
        """Add each of ``layers`` at the end."""
        for layer in layers:
            self.append(layer)

    def insert(self, index, layer):
        """Insert ``layer`` before position ``index``."""
        if not callable(layer):
            raise TypeError('A Sequential layer must be callable, got {!r}.'.format(layer))
        self._layers.insert(index, layer)
        self._register_links()

    def pop(self, index=-1):
        """Remove and return the layer at ``index`` (default: the last)."""
        layer = self._layers.pop(index)
        self._register_links()
        return layer

    def remove(self, layer):
        """Remove the first occurrence of ``layer``."""
        self._layers.remove(layer)
        self._register_links()

    def remove_by_layer_type(self, type_name):
        """Remove every layer whose type name is ``type_name``."""
        self._layers[:] = [l for l in self._layers if type(l).__name__ != type_name]
        self._register_links()

    def index(self, layer):
        """Position of the first occurrence of ``layer``."""
        return self._layers.index(layer)

    def count(self, layer):
        """Number of occurrences of ``layer``."""
        return self._layers.count(layer)

    def count_by_layer_type(self, type_name):
        """Number of layers whose type name is ``type_name``."""
        return sum(type(l).__name__ == type_name for l in self._layers)

    def flatten(self):
        """Return a new ``Sequential`` in which nested ``Sequential`` layers are
        replaced by their own layers."""
        flat = Sequential()
        for layer in self._layers:
            flat.extend(layer.flatten() if isinstance(layer, Sequential) else [layer])
        return flat

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __setitem__(self, index, layer):
        self._layers[index] = layer
        self._register_links()

    def __delitem__(self, index):
        del self._layers[index]
        self._register_links()

    def __iter__(self):
        return iter(self._layers)

    def __len__(self):
        return len(self._layers)

    def __add__(self, other):
        return Sequential(*self._layers, *other)

    def __radd__(self, other):
        return Sequential(*other, *self._layers)

    def __repr__(self):
        lines = ['  ({}): {!r}'.format(i, layer) for i, layer in enumerate(self._layers)]
        return 'Sequential(\n{}\n)'.format('\n'.join(lines))
