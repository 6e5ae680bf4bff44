"""The tools that run Chainer's own tests and examples on chainvision: the
import rewriting, the extraction of Chainer's sources, and (when the sources
are in ``third_party/chainer``) one test file and the tiny example budget."""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import chainer_port  # noqa: E402
import fetch_chainer_sources  # noqa: E402

CHAINER_SOURCES = ROOT / 'third_party' / 'chainer'
needs_sources = pytest.mark.skipif(
    not (CHAINER_SOURCES / 'tests' / 'chainer_tests').is_dir(),
    reason="Chainer's sources are not in third_party/chainer (they are not committed): run "
           'tools/fetch_chainer_sources.py with a Chainer clone or source archive')


@pytest.mark.parametrize('line, expected', [
    ('import chainer', 'import chainvision as chainer'),
    ('import chainer as ch', 'import chainvision as ch'),
    ('import chainer.functions as F', 'import chainvision.functions as F'),
    ('import chainer.links', 'import chainvision.links; import chainvision as chainer'),
    ('    from chainer import testing', '    from chainvision import testing'),
    ('from chainer.testing import attr', 'from chainvision.testing import attr'),
    ('from chainer.cuda import to_cpu', 'from chainvision.backends.cuda import to_cpu'),
    ('import chainerx', 'from chainvision import chainerx'),
    ('import chainer  # NOQA', 'import chainvision as chainer  # NOQA'),
    ('from chainer_tests.functions_tests import helper',
     'from chainer_tests.functions_tests import helper'),
    ('x = chainer.Variable(x)  # import chainer', 'x = chainer.Variable(x)  # import chainer'),
    ('import chainermn', 'import chainermn'),
])
def test_rewrite_line_changes_only_chainer_imports(line, expected):
    assert chainer_port.rewrite_line(line) == expected


def test_copy_rewritten_rewrites_python_files_and_copies_the_rest(tmp_path):
    (tmp_path / 'src' / 'pkg').mkdir(parents=True)
    (tmp_path / 'src' / 'pkg' / 'a.py').write_text('import chainer\nprint(1)\n')
    (tmp_path / 'src' / 'data.csv').write_text('import chainer\n')
    assert chainer_port.copy_rewritten(tmp_path / 'src', tmp_path / 'dst') == 1
    assert (tmp_path / 'dst' / 'pkg' / 'a.py').read_text() == (
        'import chainvision as chainer\nprint(1)\n')
    assert (tmp_path / 'dst' / 'data.csv').read_text() == 'import chainer\n'


def _fake_chainer_tree(root):
    for relative in ('examples/mnist/train_mnist.py', 'tests/chainer_tests/test_a.py',
                     'chainer/__init__.py', 'LICENSE'):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(relative)


def test_fetch_takes_examples_and_tests_from_a_folder_or_a_git_tag(tmp_path):
    _fake_chainer_tree(tmp_path / 'checkout')
    dest = tmp_path / 'out'
    assert fetch_chainer_sources.extract(tmp_path / 'checkout', dest=dest) == 3
    assert not (dest / 'chainer').exists()
    assert (dest / 'examples' / 'mnist' / 'train_mnist.py').is_file()
    git = ['git', '-C', str(tmp_path / 'checkout'), '-c', 'user.name=t', '-c', 'user.email=t@t']
    for command in (['init', '-q'], ['add', '.'], ['commit', '-qm', 'v'], ['tag', 'v7.8.1']):
        subprocess.run(git + command, check=True)
    assert fetch_chainer_sources.extract(tmp_path / 'checkout', dest=dest) == 3
    assert (dest / 'SOURCE.txt').read_text().startswith('git ')
    with pytest.raises(SystemExit, match='holds no examples'):
        fetch_chainer_sources.extract(tmp_path / 'checkout' / 'chainer', dest=tmp_path / 'x')


@needs_sources
@pytest.mark.slow
def test_chainers_relu_tests_pass_on_chainvision(tmp_path):
    import run_chainer_tests
    tests_dir = run_chainer_tests.prepare()
    result = run_chainer_tests.run_file(
        tests_dir, 'functions_tests/activation_tests/test_relu.py', timeout=600)
    assert result['failed'] == 0 and result['passed'] >= 36, result['failures'][:3]


@needs_sources
@pytest.mark.slow
def test_chainers_mnist_and_serialization_examples_run_on_chainvision(tmp_path):
    report = tmp_path / 'examples.json'
    subprocess.run([sys.executable, str(ROOT / 'tools' / 'run_chainer_examples.py'),
                    '--budget', 'tiny', '--no-chainer', '--json', str(report)],
                   check=True, capture_output=True, timeout=900)
    runs = json.loads(report.read_text())['runs']
    assert {r['example'] for r in runs} == {'mnist/train_mnist', 'mnist/inference',
                                           'serialization/save', 'serialization/load'}
    assert [r['error'] for r in runs if r['returncode'] != 0] == []
    log = next(r['log'] for r in runs if r['example'] == 'mnist/train_mnist')
    # 600 examples, one epoch (6 iterations): real Chainer 7.8.1 reaches 0.41 on this budget
    # too (tools/run_chainer_examples.py --budget tiny mnist/train_mnist); chance is 0.1.
    assert log[-1]['validation/main/accuracy'] > 0.3


def test_parse_junit_names_a_retried_failure_and_the_chainerx_skips(tmp_path):
    import run_chainer_tests
    report = tmp_path / 'junit.xml'
    report.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="t.TestLinear" name="test_forward_cpu">'
        '<failure message="AssertionError: &#10;Fail: 3, Success: 0&#10;&#10;The first error '
        'message:&#10;[+10 more lines]">'
        # pytest's listing of the source shows the message format first.
        "            self.fail('The first error message:\\n{}'.format(\n"
        'E   AssertionError:\nE   Fail: 3, Success: 0\nE   \n'
        'E   The first error message:\nE   Traceback (most recent call last):\n'
        'E     File "x.py", line 53, in check_forward\n'
        "E   AssertionError: torch.float32 != &lt;class 'numpy.float32'&gt;\n</failure>"
        '</testcase>'
        '<testcase classname="t.TestX_use_chainerx_true" name="test_backward">'
        '<skipped type="pytest.skip" message="unconditional skip"/></testcase>'
        '</testsuite></testsuites>')
    counts, failures, skips = run_chainer_tests.parse_junit(report)
    assert counts == {'failed': 1, 'skipped': 1}
    message = failures[0][1]
    assert message.startswith("retried: AssertionError: torch.float32 != <class 'numpy.float32'>")
    assert run_chainer_tests.category_of(failures[0][0], message) == \
        'NumPy array expected, tensor given'
    assert skips[0][1].startswith('ChainerX is not available')
