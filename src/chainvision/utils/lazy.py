"""Module attributes imported on first use (PEP 562's module
``__getattr__``): how a lower package offers a name defined higher up,
such as ``L.VGG16Layers`` (defined in the zoo, which imports ``links``),
without importing it when it is itself imported."""

import importlib
import sys


def lazy_attributes(module_name, table):
    """The ``__getattr__`` and ``__dir__`` of a module whose attributes
    ``table`` are imported on first access.

    Args:
        module_name (str): the ``__name__`` of the module that assigns them
            (``__getattr__, __dir__ = lazy_attributes(__name__, {...})``).
        table (dict): attribute name -> dotted path of the module that
            defines it under the same name.

    Returns:
        tuple: ``(__getattr__, __dir__)``.  ``__getattr__(name)`` imports
        ``table[name]``, stores its attribute ``name`` in the module (so the
        next access is a plain lookup) and returns it; an unknown name
        raises ``AttributeError``.  ``__dir__()`` lists the module's names
        and the table's.
    """
    def __getattr__(name):
        if name not in table:
            raise AttributeError('module {} has no attribute {!r}'.format(module_name, name))
        value = getattr(importlib.import_module(table[name]), name)
        setattr(sys.modules[module_name], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[module_name])) | set(table))

    return __getattr__, __dir__
