"""Moving axes to new positions."""

from chainvision.backend import as_tensor


def moveaxis(x, source, destination):
    """Move axis ``source`` (an int or a tuple) to ``destination``, keeping
    the order of the others, as ``numpy.moveaxis``."""
    return as_tensor(x).movedim(source, destination)
