"""The error every reader of saved files raises for a file it cannot
read: :func:`~chainvision.serializers.load_npz`,
:func:`~chainvision.serializers.load_torch_file` and the run folder's
readers."""

import os


class UnreadableFileError(ValueError):
    """A file that is truncated, corrupt, of another format, or holds
    Python objects that cannot be loaded safely.

    Attributes:
        path (str): the file.
        problem (str): what is wrong, as the end of a sentence that starts
            with the path (``'is truncated or corrupt'``).
    """

    def __init__(self, path, problem):
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__('{} {}'.format(self.path, problem))
