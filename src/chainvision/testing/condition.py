"""Retrying tests whose outcome depends on random numbers (Chainer's
``chainer.testing.condition``)."""

import functools
import unittest


class _Trial(unittest.FunctionTestCase):
    """One run of a test method, on a fresh instance with its own setUp/tearDown."""

    def __init__(self, method, instance, args, kwargs):
        super().__init__(lambda: _run_converting_skips(method, instance, args, kwargs),
                         setUp=instance.setUp, tearDown=instance.tearDown)


def _run_converting_skips(method, instance, args, kwargs):
    try:
        method(instance, *args, **kwargs)
    except BaseException as error:
        # pytest.skip() raises pytest's own Skipped, which unittest would count as an error.
        if type(error).__name__ == 'Skipped' and type(error).__module__.startswith('_pytest'):
            raise unittest.SkipTest(str(error)) from None
        raise


def repeat_with_success_at_least(times, min_success):
    """Decorator: run the test method up to ``times`` times, each time on a new
    instance (``setUp`` and ``tearDown`` included); it passes as soon as
    ``min_success`` runs passed, fails as soon as that cannot happen, and is
    skipped if a run is skipped.  The failure message gives the counts and the
    first failure."""
    if times < min_success:
        raise ValueError('times ({}) must be at least min_success ({})'.format(
            times, min_success))

    def decorator(method):
        @functools.wraps(method)
        def test(self, *args, **kwargs):
            successes = failures = 0
            first_failure = None
            for _ in range(times):
                result = unittest.TestResult()
                _Trial(method, type(self)(self._testMethodName), args, kwargs)(result)
                if result.skipped:
                    self.skipTest(result.skipped[0][1])
                if result.wasSuccessful():
                    successes += 1
                else:
                    failures += 1
                    if first_failure is None:
                        first_failure = '\n'.join(
                            trace for _, trace in result.failures + result.errors)
                if successes >= min_success:
                    return
                if failures > times - min_success:
                    break
            self.fail('\nFail: {}, Success: {}\n\nThe first error message:\n{}'.format(
                failures, successes, first_failure))
        return test
    return decorator


def repeat(times):
    """Decorator: the test must pass ``times`` times in a row."""
    return repeat_with_success_at_least(times, times)


def retry(times):
    """Decorator: the test must pass at least once in ``times`` runs."""
    return repeat_with_success_at_least(times, 1)
