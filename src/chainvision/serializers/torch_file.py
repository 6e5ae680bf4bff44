"""Reading PyTorch files safely, with errors that name the file.

``torch.load(..., weights_only=True)`` never runs code from a file, but when
it refuses one its message advises loading with ``weights_only=False``,
which would run that code; and a truncated file fails with an internal
zip-reader message.  :func:`load_torch_file` turns both into an
:class:`UnreadableFileError` that names the file and says what it is.
"""

import pickle

import torch

from chainvision.serializers.errors import UnreadableFileError


def load_torch_file(path, description='a file of tensors'):
    """``torch.load(path, map_location='cpu', weights_only=True)``.

    Args:
        path (str or os.PathLike): the file.
        description (str): what the file should be, for the error message
            (``'a chainvision checkpoint'``).

    Raises:
        FileNotFoundError: there is no such file.
        UnreadableFileError: the file holds Python objects other than
            tensors, containers and plain values (loading them could run
            code from the file, so it is refused, without the advice to
            load it unsafely), or is truncated or corrupt.
    """
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as error:
        raise UnreadableFileError(path, (
            'is not {} and cannot be loaded safely: it holds something other than tensors, '
            'containers and plain values, and loading that could run code from the '
            'file').format(description)) from error
    except (RuntimeError, EOFError) as error:
        # PyTorch's zip reader raises RuntimeError for a truncated archive,
        # the unpickler EOFError for an empty or cut pickle.
        raise UnreadableFileError(path, 'is truncated or corrupt (it is not {} that PyTorch can '
                                        'read)'.format(description)) from error
