"""Running Chainer-style test classes inside a test: they are generated into a
scratch module (not the test module, which pytest has already collected) and
run with unittest."""

import sys
import types
import unittest


def scratch_module(name):
    """A fresh module registered in ``sys.modules`` (replacing an older one)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    return module


def run_classes(classes):
    """Run every test of ``classes``; return ``{(class name, test): outcome}``
    with outcome ``'passed'``, ``'failed'`` (failure or error, message kept in
    ``run_classes.messages``) or ``'skipped: <reason>'``."""
    outcomes, messages = {}, {}
    for cls in classes:
        for test in unittest.defaultTestLoader.loadTestsFromTestCase(cls):
            result = unittest.TestResult()
            test.run(result)
            key = (cls.__name__, test._testMethodName)
            if result.skipped:
                outcomes[key] = 'skipped: ' + result.skipped[0][1]
            elif result.wasSuccessful():
                outcomes[key] = 'passed'
            else:
                outcomes[key] = 'failed'
                messages[key] = (result.failures + result.errors)[0][1]
    run_classes.messages = messages
    return outcomes
