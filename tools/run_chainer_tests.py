"""Run Chainer 7.8.1's own unit tests of functions and links against chainvision.

    python tools/fetch_chainer_sources.py /path/to/chainer-git-or-archive   # once
    python tools/run_chainer_tests.py                    # the core set (below)
    python tools/run_chainer_tests.py --set all          # every function and link test
    python tools/run_chainer_tests.py functions_tests/activation_tests/test_relu.py

Chainer's ``tests/chainer_tests`` (from ``third_party/chainer``) is copied to
``third_party/rewritten/tests`` with only its imports rewritten
(``tools/chainer_port.py``: ``chainer`` -> ``chainvision``, ``chainer.testing``
-> ``chainvision.testing``, ``chainerx`` -> ``chainvision.chainerx``); each file
then runs in its own pytest process (one thread, a time limit per file), and
the script prints per file the cases passed / failed / skipped and the
failures and skips grouped by their first message line.  GPU, cuDNN, iDeep and
ChainerX cases skip themselves (``chainvision.testing.attr``).

Chainer's tests import ``six`` and ``mock``: ``pip install six mock`` first.
``--json PATH`` also writes the results (``docs/chainer-tests.md`` quotes them).
These runs take minutes to hours, so they are not part of the test suite.
"""

import argparse
import collections
import importlib.util
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import chainer_port  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / 'third_party' / 'chainer'
WORK = ROOT / 'third_party' / 'rewritten'

# The functions and links of the Chainer tutorial and of the zoo's models.
CORE = [
    'functions_tests/connection_tests/test_convolution_2d.py',
    'functions_tests/connection_tests/test_linear.py',
    'functions_tests/pooling_tests/test_max_pooling_2d.py',
    'functions_tests/pooling_tests/test_average_pooling_2d.py',
    'functions_tests/normalization_tests/test_batch_normalization.py',
    'functions_tests/normalization_tests/test_local_response_normalization.py',
    'functions_tests/activation_tests/test_relu.py',
    'functions_tests/activation_tests/test_sigmoid.py',
    'functions_tests/activation_tests/test_softmax.py',
    'functions_tests/loss_tests/test_softmax_cross_entropy.py',
    'functions_tests/noise_tests/test_dropout.py',
    'functions_tests/array_tests/test_concat.py',
    'functions_tests/array_tests/test_reshape.py',
    'links_tests/connection_tests/test_convolution_2d.py',
    'links_tests/connection_tests/test_linear.py',
    'links_tests/normalization_tests/test_batch_normalization.py',
    'links_tests/model_tests/test_classifier.py',
]

# Out of scope (recurrent and language models) or for other frameworks.
EXCLUDED_FOLDERS = ('rnn_tests', 'caffe_tests', 'theano_tests')

PYTEST_INI = """[pytest]
markers =
    gpu: needs a CUDA device
    cudnn: tests cuDNN calls through CuPy
    ideep: tests the iDeep backend
    chainerx: tests ChainerX arrays
    slow: a slow test
"""


def all_files(tests_root):
    """Every function and link test file, minus the excluded folders."""
    files = []
    for group in ('functions_tests', 'links_tests'):
        for path in sorted((tests_root / group).rglob('test_*.py')):
            relative = path.relative_to(tests_root).as_posix()
            if not any('/{}/'.format(folder) in '/' + relative for folder in EXCLUDED_FOLDERS):
                files.append(relative)
    return files


def prepare(source=SOURCE, work=WORK):
    """Copy Chainer's tests into ``work`` with their imports rewritten.

    Returns:
        pathlib.Path: the rewritten ``chainer_tests`` folder.
    """
    tests = pathlib.Path(source) / 'tests'
    if not (tests / 'chainer_tests').is_dir():
        raise SystemExit('{} has no tests/chainer_tests: run tools/fetch_chainer_sources.py '
                         'first.'.format(source))
    missing = [name for name in ('six', 'mock') if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit("Chainer's tests import {}: pip install {}".format(
            ' and '.join(missing), ' '.join(missing)))
    work = pathlib.Path(work)
    chainer_port.copy_rewritten(tests, work / 'tests')
    (work / 'pytest.ini').write_text(PYTEST_INI)
    return work / 'tests' / 'chainer_tests'


_NUMBER = re.compile(r'\d+(\.\d+)?(e-?\d+)?')

# Why a Chainer test fails on chainvision, from its message (or its name): the
# first category that matches.  docs/chainer-tests.md explains each.
CATEGORIES = [
    ('NumPy array expected, tensor given', re.compile(
        r"torch\.\w+ ?[!=]= <class 'numpy|assert tensor\(.* is array\(|Cannot interpret "
        r"'torch|for [-+*/@]+: 'numpy\.ndarray' and 'Tensor'|'Tensor' object has no attribute "
        r"'(astype|dot|flags|itemsize|get)'|Concatenation operation is not implemented for "
        r"NumPy|can't assign a numpy\.ndarray to a torch|isinstance\(tensor|got an unexpected "
        r"keyword argument 'axis'|Can't call numpy\(\) on Tensor|assert torch\.\w+ == "
        r"<class 'numpy|assert device\(type=|take\(\): argument 'index'|'torch\.dtype' object "
        r"has no attribute|dtype\('\w+'\) != torch\.", re.S)),
    ('PyTorch has no float16 kernel on the CPU', re.compile(
        r"not implemented for 'Half'|Low precision dtypes not supported|support tensors of type: "
        r"Half")),
    ("Chainer's Variable or FunctionNode API", re.compile(
        r"'Tensor' object has no attribute|Variable\.__new__\(\) got an unexpected keyword|"
        r"assigned grad expected to be a Tensor|grad can be implicitly created only for scalar|"
        r"object has no attribute 'creator'")),
    ('function or link not provided (see docs/chainer-api-coverage.md)', re.compile(
        r"module '?chainvision\.(functions|links)'? has no attribute")),
    ("Chainer's internal classes and helpers", re.compile(
        r"module 'chainvision[\w.]*' has no attribute|cannot import name '_?\w+' from "
        r"'chainvision")),
    ('PyTorch module rules', re.compile(r'as child module|cannot assign .* as parameter')),
    ('no module (missing function or link)', re.compile(r'No module named|collection failure')),
]
# Test names that check input validation (Chainer's type checks).
_VALIDATION_TEST = re.compile(r'invalid|type_check|value_check|type_error|assertion|wrong')


def category_of(test_id, message):
    """The :data:`CATEGORIES` label of a failure, ``'input validation'`` for a
    failing test of Chainer's type checks, else ``'other'``."""
    for label, pattern in CATEGORIES:
        if pattern.search(message or ''):
            return label
    if _VALIDATION_TEST.search(test_id.lower()):
        return "input validation (Chainer's type checks)"
    return 'other'


def cause_of(message):
    """A short key grouping similar failures: the first line of the message
    with numbers replaced by ``N``; for chainvision.testing's wrapper errors
    (``backward is not implemented correctly``) the wrapped error's first
    line is added."""
    lines = [line.strip() for line in (message or '').splitlines() if line.strip()]
    if not lines:
        return '(no message)'
    key = lines[0]
    if key.endswith('not implemented correctly') and len(lines) > 1:
        key += ' / ' + lines[1]
    return _NUMBER.sub('N', key)[:160]


# The skip message of Chainer's conftest.py, which makes the chainerx mark pytest's bare skip.
_SKIP_LABELS = {'unconditional skip': 'ChainerX is not available (chainerx mark, conftest.py)'}
_EXCEPTION_LINE = re.compile(r'^(\w+\.)*\w*(Error|Exception)\b.*')


def _retried_error(text):
    """The exception line of the first failed run in the report of a test
    retried by ``testing.condition`` (whose message is only the counts).  The
    last 'The first error message:' is the one: pytest's listing of the
    failing source line shows the message's format string before it."""
    _, _, first = (text or '').rpartition('The first error message:')
    for line in first.splitlines():
        match = _EXCEPTION_LINE.match(re.sub(r'^E\s+', '', line).strip())
        if match:
            return match.group(0)
    return None


def parse_junit(path):
    """``(counts, failures, skips)`` from pytest's JUnit XML: counts of
    passed/failed/skipped cases, and lists of (test id, message)."""
    counts = collections.Counter()
    failures, skips = [], []
    for case in ElementTree.parse(path).getroot().iter('testcase'):
        test_id = '{}::{}'.format(case.get('classname'), case.get('name'))
        problem = case.find('failure')
        if problem is None:
            problem = case.find('error')
        skipped = case.find('skipped')
        if problem is not None:
            counts['failed'] += 1
            message = problem.get('message') or problem.text or ''
            if message == 'collection failure':  # the import error is in the text
                lines = [line[1:].strip() for line in (problem.text or '').splitlines()
                         if line.startswith('E ')]
                message = 'collection failure: ' + (lines[-1] if lines else '?')
            elif 'The first error message:' in (problem.text or ''):
                retried = _retried_error(problem.text)
                if retried:
                    message = 'retried: {}\n{}'.format(retried, message)
            failures.append((test_id, message))
        elif skipped is not None:
            counts['skipped'] += 1
            message = skipped.get('message') or ''
            skips.append((test_id, _SKIP_LABELS.get(message, message)))
        else:
            counts['passed'] += 1
    return counts, failures, skips


def run_file(tests_dir, relative, timeout):
    """Run one rewritten test file; return its result dict."""
    report = WORK / 'junit.xml'
    if report.exists():
        report.unlink()
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    command = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-o',
               'junit_logging=no', '--junitxml', str(report), str(tests_dir / relative)]
    start = time.perf_counter()
    try:
        process = subprocess.run(command, cwd=WORK, env=env, capture_output=True, text=True,
                                 timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        process, timed_out = None, True
    seconds = time.perf_counter() - start
    result = {'file': relative, 'seconds': round(seconds, 1), 'timed_out': timed_out,
              'passed': 0, 'failed': 0, 'skipped': 0, 'failures': [], 'skips': []}
    if timed_out or not report.exists():
        tail = '' if process is None else (process.stdout + process.stderr)[-2000:]
        result['failures'] = [(relative, 'timed out after {} s'.format(timeout) if timed_out
                               else 'pytest produced no report:\n' + tail)]
        result['failed'] = 1
        return result
    counts, failures, skips = parse_junit(report)
    result.update(counts)
    result['failures'], result['skips'] = failures, skips
    return result


def print_table(results, out=sys.stdout):
    """Print per-file counts, then failures and skips grouped by cause."""
    print('| file | passed | failed | skipped | s |', file=out)
    print('| --- | ---: | ---: | ---: | ---: |', file=out)
    for r in results:
        print('| {} | {} | {} | {} | {}{} |'.format(
            r['file'], r['passed'], r['failed'], r['skipped'], r['seconds'],
            ' (timed out)' if r['timed_out'] else ''), file=out)
    totals = collections.Counter()
    for r in results:
        totals.update({k: r[k] for k in ('passed', 'failed', 'skipped')})
    print('| **{} files** | **{passed}** | **{failed}** | **{skipped}** | |'.format(
        len(results), **totals), file=out)
    categories = collections.defaultdict(collections.Counter)
    for r in results:
        for test_id, message in r['failures']:
            categories[category_of(test_id, message)][pathlib.Path(r['file']).stem] += 1
    print('\nFailures by category:', file=out)
    for label, files in sorted(categories.items(), key=lambda item: -sum(item[1].values())):
        print('  {:5d}  {}\n         in {}'.format(
            sum(files.values()), label,
            ', '.join('{} ({})'.format(f, n) for f, n in files.most_common())), file=out)
    for title, key in (('Failures', 'failures'), ('Skips', 'skips')):
        causes = collections.defaultdict(list)
        for r in results:
            for test_id, message in r[key]:
                causes[cause_of(message)].append(r['file'])
        print('\n{} by cause:'.format(title), file=out)
        for cause, files in sorted(causes.items(), key=lambda item: -len(item[1])):
            counted = collections.Counter(files)
            print('  {:5d}  {}\n         in {}'.format(
                len(files), cause,
                ', '.join('{} ({})'.format(pathlib.Path(f).stem, n)
                          for f, n in counted.most_common())), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('files', nargs='*', help='paths under tests/chainer_tests')
    parser.add_argument('--set', choices=('core', 'all'), default='core')
    parser.add_argument('--source', type=pathlib.Path, default=SOURCE)
    parser.add_argument('--timeout', type=int, default=1800, help='seconds per file')
    parser.add_argument('--json', type=pathlib.Path, help='also write the results here')
    parser.add_argument('--report', type=pathlib.Path,
                        help='print the table of results saved by --json, running nothing')
    args = parser.parse_args(argv)
    if args.report:
        print_table(json.loads(args.report.read_text()))
        return 0
    tests_dir = prepare(args.source)
    files = args.files or (CORE if args.set == 'core' else all_files(tests_dir))
    results = []
    for relative in files:
        result = run_file(tests_dir, relative, args.timeout)
        print('{file}: {passed} passed, {failed} failed, {skipped} skipped, {seconds} s'.format(
            **result), flush=True)
        results.append(result)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print()
    print_table(results)
    return 0


if __name__ == '__main__':
    sys.exit(main())
