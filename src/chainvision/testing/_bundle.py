"""How Chainer's class decorators turn one ``unittest.TestCase`` into many.

``parameterize``, ``inject_backend_tests`` and ``fix_random`` take a test class
and put generated subclasses into the class's module, where pytest and
unittest find them.  The decorator itself returns a :class:`TestCaseBundle`
(not a class, so the template is not collected); the next decorator up the
stack expands every class of the bundle again and removes the intermediate
ones from the module.
"""

import inspect
import sys


class TestCaseBundle:
    """The classes a decorator generated from one template.

    Attributes:
        classes (list of type): the generated ``unittest.TestCase``
            subclasses, each also a module-level name of its module.
    """

    __test__ = False  # pytest must not take the bundle for a test class

    def __init__(self, classes):
        self.classes = list(classes)


def as_bundle(target):
    """Return ``target`` as a bundle: a template class becomes a bundle of
    itself (it stays where it is in its module)."""
    return target if isinstance(target, TestCaseBundle) else TestCaseBundle([target])


def make_decorator(variants):
    """Return a class decorator generating subclasses.

    Args:
        variants: ``variants(base)`` yields ``(name, members, wrap)`` per class
            to generate from ``base``: the class name, extra class attributes,
            and ``wrap(method)``, which returns the replacement of each
            ``test_*`` method (``None`` removes the test from that class).

    Returns:
        a decorator taking a class or a :class:`TestCaseBundle` and returning
        the bundle of the generated classes.
    """
    def decorator(target):
        generated = []
        is_bundle = isinstance(target, TestCaseBundle)
        for base in as_bundle(target).classes:
            module = sys.modules[base.__module__]
            if is_bundle:
                delattr(module, base.__name__)
            for name, members, wrap in variants(base):
                members = dict(members, __module__=base.__module__)
                for method_name, method in inspect.getmembers(base, inspect.isfunction):
                    if method_name.startswith('test_'):
                        members[method_name] = wrap(method)
                cls = type(name, (base,), members)
                setattr(module, name, cls)
                generated.append(cls)
        return TestCaseBundle(generated)
    return decorator
