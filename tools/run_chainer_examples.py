"""Run Chainer 7.8.1's example programs on chainvision and on real Chainer, and compare.

    python tools/fetch_chainer_sources.py /path/to/chainer-git-or-archive   # once
    python tools/run_chainer_examples.py                  # every example, the 'small' budget
    python tools/run_chainer_examples.py mnist/train_mnist --budget tiny --no-chainer

The examples (``third_party/chainer/examples``) are copied twice under
``third_party/rewritten/``: as they are (``examples-chainer``, run by the Python
of ``--chainer-python``, a virtual environment with ``chainer==7.8.1``) and with
only their imports rewritten (``examples``, run by this Python, on chainvision;
``tools/chainer_port.py``).  Each example runs on the CPU, through
``tools/chainer_example_launcher.py``, with its own command-line flags set for a
few iterations and on the first examples of its dataset, under both frameworks
with the same seed.  Real Chainer reads MNIST and CIFAR-10 from
``third_party/rewritten/chainer-datasets`` (written here from chainvision's
copies, in Chainer's cache format, since it cannot download them); ImageNet's
example reads a generated list of a few 256x256 images.

Two comparisons follow:

- training runs: the ``LogReport`` logs of both (loss and accuracy per epoch or
  iteration); the random generators differ, so the trends are compared;
- model files (``tools/chainer_example_models.py``): Chainer's weights, saved
  with ``save_npz``, are loaded into chainvision's copy of the same model file;
  the losses and gradients on the same inputs must agree (to 1e-5).

``--json PATH`` writes every result; ``docs/chainer-examples.md`` quotes them.
"""

import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

import numpy

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import chainer_port  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOLS = ROOT / 'tools'
SOURCE = ROOT / 'third_party' / 'chainer'
WORK = ROOT / 'third_party' / 'rewritten'
CHAINER_PYTHON = pathlib.Path('/work/chainer-venv/bin/python')

# One run of an example.  ``args`` may name ``{epochs}``; ``train``/``test`` are
# how many examples the dataset getters keep (None: all); ``copies`` are files
# that the real Chainer run produced and the chainvision run reads
# (``(from, to)`` relative to the example folders), for cross-loading.
Example = collections.namedtuple('Example', 'name script args train test copies budgets')

IMAGENET_ARGS = ['-R', '{imagenet}', '-B', '2', '-b', '2', '-E', '1', '--test', '-j', '1',
                 '-d', '-1', '--out', 'result-{arch}', '{imagenet}/train.txt',
                 '{imagenet}/val.txt']
EXAMPLES = [
    Example('mnist/train_mnist', 'mnist/train_mnist.py',
            ['--epoch', '{epochs}', '--unit', '50', '--device', '-1',
             '--out', 'result-train_mnist'], 3000, 500, (), ('tiny', 'small')),
    Example('mnist/train_mnist_custom_loop', 'mnist/train_mnist_custom_loop.py',
            ['--epoch', '{epochs}', '--unit', '50', '--device', '-1',
             '--out', 'result-custom_loop'], 3000, 500, (), ('small',)),
    Example('mnist/inference', 'mnist/inference.py',
            ['--snapshot', 'result-train_mnist/snapshot_iter_{iterations}', '--unit', '50',
             '--device', '-1'], None, None, (), ('tiny', 'small')),
    Example("mnist/inference (Chainer's snapshot)", 'mnist/inference.py',
            ['--snapshot', 'from-chainer/snapshot_iter_{iterations}', '--unit', '50',
             '--device', '-1'], None, None,
            (('mnist/result-train_mnist/snapshot_iter_{iterations}',
              'mnist/from-chainer/snapshot_iter_{iterations}'),), ('small',)),
    Example('cifar/train_cifar', 'cifar/train_cifar.py',
            ['--epoch', '{epochs}', '--batchsize', '64', '--device', '-1',
             '--out', 'result-train_cifar'], 256, 128, (), ('small',)),
    Example('cifar/train_cifar_custom_loop', 'cifar/train_cifar_custom_loop.py',
            ['--epoch', '1', '--batchsize', '64', '--device', '-1', '--test',
             '--out', 'result-custom_loop'], 256, 128, (), ('small',)),
    Example('dcgan/train_dcgan', 'dcgan/train_dcgan.py',
            ['--epoch', '1', '--batchsize', '50', '--device', '-1', '--snapshot_interval', '10',
             '--display_interval', '5', '--out', 'result-dcgan'], 200, 10, (), ('small',)),
    Example('vae/train_vae', 'vae/train_vae.py',
            ['--epoch', '{epochs}', '--dim-z', '20', '--dim-h', '100', '--batch-size', '100',
             '--device', '-1', '--out', 'result-vae'], 2000, 500, (), ('small',)),
    Example('glance/glance', 'glance/glance.py', [], None, None, (), ('small',)),
    Example('serialization/save', 'serialization/save.py', [], None, None, (),
            ('tiny', 'small')),
    Example('serialization/load', 'serialization/load.py', [], None, None, (),
            ('tiny', 'small')),
    Example("serialization/load (Chainer's files)", 'serialization/load.py', [], None, None,
            (('serialization/model.npz', 'serialization/model.npz'),
             ('serialization/model.h5', 'serialization/model.h5')), ('small',)),
    Example('imagenet/compute_mean', 'imagenet/compute_mean.py',
            ['-R', '{imagenet}', '-o', 'mean-tiny.npy', '{imagenet}/train.txt'], None, None, (),
            ('small',)),
] + [
    # With --test the example snapshots the model at every iteration: AlexNet's 244 MB
    # take minutes, so the small budget trains the lighter networks (every network's
    # model file is compared by the model checks).
    Example('imagenet/train_imagenet -a ' + arch, 'imagenet/train_imagenet.py',
            ['-a', arch] + [a.replace('{arch}', arch) for a in IMAGENET_ARGS], None, None, (),
            budgets)
    for arch, budgets in (('alex', ()), ('nin', ('small',)), ('googlenet', ('small',)),
                          ('googlenetbn', ('small',)), ('resnet50', ()), ('resnext50', ()))
] + [
    Example('static_graph_optimizations/mnist/train_mnist',
            'static_graph_optimizations/mnist/train_mnist.py',
            ['--epoch', '{epochs}', '--unit', '50', '--device', '-1', '--out', 'result-static'],
            3000, 500, (), ('small',)),
    Example('static_graph_optimizations/cifar/train_cifar',
            'static_graph_optimizations/cifar/train_cifar.py',
            ['--epoch', '1', '--batchsize', '64', '--device', '-1', '--out', 'result-static'],
            256, 128, (), ('small',)),
    Example('static_graph_optimizations/mnist/train_mnist_custom_loop',
            'static_graph_optimizations/mnist/train_mnist_custom_loop.py',
            ['--epoch', '{epochs}', '--unit', '50', '--device', '-1',
             '--out', 'result-static-loop'], 3000, 500, (), ('small',)),
    Example('static_graph_optimizations/cifar/train_cifar_custom_loop',
            'static_graph_optimizations/cifar/train_cifar_custom_loop.py',
            ['--epoch', '1', '--batchsize', '64', '--device', '-1', '--test',
             '--out', 'result-static-loop'], 256, 128, (), ('small',)),
]

# Examples not run, with the reason.
NOT_RUN = {
    'mnist/train_mnist_data_parallel.py': 'needs two GPUs',
    'mnist/train_mnist_data_parallel_updater.py': 'needs two GPUs',
    'mnist/train_mnist_model_parallel.py': 'needs two GPUs',
    'imagenet/train_imagenet_data_parallel.py': 'needs several GPUs',
    'static_graph_optimizations/ptb/train_ptb_custom_loop.py': 'a language model (out of scope)',
    'dcgan/visualize.py': 'a module of train_dcgan (runs with it)',
}

BUDGETS = {'tiny': {'epochs': 1, 'scale': 0.2}, 'small': {'epochs': 2, 'scale': 1.0},
           'full': {'epochs': 2, 'scale': 1.0}}

LOG_KEYS = ('main/loss', 'validation/main/loss', 'main/accuracy', 'validation/main/accuracy')


def prepare_examples(source=SOURCE, work=WORK):
    """Copy the examples: as they are (for Chainer) and import-rewritten (for chainvision)."""
    examples = pathlib.Path(source) / 'examples'
    if not examples.is_dir():
        raise SystemExit('{} has no examples/: run tools/fetch_chainer_sources.py first.'.format(
            source))
    chainer_port.copy_rewritten(examples, work / 'examples')
    if (work / 'examples-chainer').exists():
        shutil.rmtree(work / 'examples-chainer')
    shutil.copytree(examples, work / 'examples-chainer')
    return {'chainvision': work / 'examples', 'chainer': work / 'examples-chainer'}


def write_chainer_datasets(root):
    """MNIST and CIFAR-10 in Chainer's cache layout (``pfnet/chainer/...``),
    from chainvision's copies, so real Chainer finds them without downloading."""
    from chainvision import datasets
    mnist = root / 'pfnet' / 'chainer' / 'mnist'
    cifar = root / 'pfnet' / 'chainer' / 'cifar'
    if not (mnist / 'test.npz').exists():
        mnist.mkdir(parents=True, exist_ok=True)
        for split in ('train', 'test'):
            x, y = datasets.load_arrays('mnist', split)
            numpy.savez(mnist / (split + '.npz'), x=numpy.asarray(x).reshape(len(x), 784),
                        y=numpy.asarray(y).astype(numpy.uint8))
    if not (cifar / 'cifar-10.npz').exists():
        cifar.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for split in ('train', 'test'):
            x, y = datasets.load_arrays('cifar10', split)
            arrays[split + '_x'] = numpy.asarray(x).reshape(len(x), 3072)
            arrays[split + '_y'] = numpy.asarray(y).astype(numpy.uint8)
        numpy.savez(cifar / 'cifar-10.npz', **arrays)


def write_tiny_imagenet(folder, count=6, classes=2):
    """``count`` 256x256 RGB images, a tint per class plus noise, and the
    ``train.txt``/``val.txt`` lists (``path label``) the ImageNet example reads."""
    from PIL import Image
    folder.mkdir(parents=True, exist_ok=True)
    rng = numpy.random.RandomState(0)
    lines = []
    for i in range(count):
        label = i % classes
        tint = numpy.array([200, 60, 60] if label == 0 else [60, 60, 200])
        pixels = numpy.clip(tint + rng.randint(-50, 50, (256, 256, 3)), 0, 255)
        name = 'image{}.png'.format(i)
        Image.fromarray(pixels.astype(numpy.uint8)).save(folder / name)
        lines.append('{} {}'.format(name, label))
    (folder / 'train.txt').write_text('\n'.join(lines[:count - 2]) + '\n')
    (folder / 'val.txt').write_text('\n'.join(lines[count - 2:]) + '\n')


def _format(value, context):
    return value.format(**context) if '{' in value else value


def run_example(example, framework, python, folders, context, timeout, threads):
    """Run one example under one framework; return a result dict."""
    folder = folders[framework]
    for source, target in example.copies if framework == 'chainvision' else ():
        target_path = folder / _format(target, context)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folders['chainer'] / _format(source, context), target_path)
    script = folder / example.script
    command = [str(python), str(TOOLS / 'chainer_example_launcher.py'), '--framework', framework,
               '--seed', '0']
    for flag, count in (('--train', example.train), ('--test', example.test)):
        if count is not None:
            command += [flag, str(max(1, int(count * context['scale'])))]
    command += ['--', str(script)] + [_format(a, context) for a in example.args]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
               MPLBACKEND='Agg', CHAINER_DATASET_ROOT=str(context['chainer_datasets']))
    start = time.perf_counter()
    try:
        process = subprocess.run(command, env=env, capture_output=True, text=True,
                                 timeout=timeout)
        returncode, output = process.returncode, process.stdout + process.stderr
    except subprocess.TimeoutExpired as expired:
        returncode = 'timeout'
        output = (expired.stdout or b'').decode(errors='replace') if isinstance(
            expired.stdout, bytes) else (expired.stdout or '')
    result = {'example': example.name, 'framework': framework, 'returncode': returncode,
              'seconds': round(time.perf_counter() - start, 1),
              'error': _last_error(output) if returncode != 0 else None,
              'log': _read_log(folder, example, context),
              'output_tail': output.strip().splitlines()[-4:]}
    return result


def _last_error(output):
    """The last line that names an exception (or the last line)."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r'^\w+(\.\w+)*(Error|Exception)\b', line)]
    return (errors or lines or ['(no output)'])[-1][:300]


def _read_log(folder, example, context):
    """The LogReport entries of the run (``<out>/log``), reduced to the loss/accuracy keys."""
    args = [_format(a, context) for a in example.args]
    out = args[args.index('--out') + 1] if '--out' in args else 'result'
    path = folder / pathlib.Path(example.script).parent / out / 'log'
    if not path.exists():
        return None
    entries = json.loads(path.read_text())
    return [{k: entry[k] for k in LOG_KEYS + ('epoch', 'iteration') if k in entry}
            for entry in entries]


def compare_trends(chainer_log, chainvision_log):
    """First and last values of each logged key under both frameworks, and
    whether they move the same way (down for losses, up for accuracies)."""
    if not chainer_log or not chainvision_log:
        return None
    rows = {}
    for key in LOG_KEYS:
        pairs = [[entry[key] for entry in log if key in entry]
                 for log in (chainer_log, chainvision_log)]
        if not all(pairs):
            continue
        (chainer_values, ours) = pairs
        row = {'chainer': [chainer_values[0], chainer_values[-1]], 'chainvision': [ours[0],
                                                                                   ours[-1]]}
        if len(chainer_values) > 1 and len(ours) > 1:
            sign = -1 if 'loss' in key else 1
            row['same_trend'] = (sign * (chainer_values[-1] - chainer_values[0]) > 0) == (
                sign * (ours[-1] - ours[0]) > 0)
        rows[key] = row
    return rows


def compare_models(python_by_framework, folders, out, threads, timeout):
    """Run ``chainer_example_models.py`` under Chainer (record) and chainvision (compare)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    results = {}
    for framework in ('chainer', 'chainvision'):
        command = [str(python_by_framework[framework]), str(TOOLS / 'chainer_example_models.py'),
                   '--framework', framework, '--examples', str(folders[framework]),
                   '--out', str(out)]
        process = subprocess.run(command, env=env, capture_output=True, text=True,
                                 timeout=timeout)
        for line in process.stdout.splitlines():
            if line.startswith('{'):
                entry = json.loads(line)
                results.setdefault(entry['model'], {})[framework] = entry
    return results


def print_report(runs, trends, models, out=sys.stdout):
    """Markdown tables: each example under each framework, the trends, the model checks."""
    by_example = collections.OrderedDict()
    for run in runs:
        by_example.setdefault(run['example'], {})[run['framework']] = run
    print('| example | chainvision | real Chainer 7.8.1 |', file=out)
    print('| --- | --- | --- |', file=out)

    def cell(run):
        if run is None:
            return 'not run'
        if run['returncode'] == 0:
            return 'runs ({} s)'.format(run['seconds'])
        return 'fails: `{}`'.format(run['error'])

    for name, pair in by_example.items():
        print('| {} | {} | {} |'.format(name, cell(pair.get('chainvision')),
                                        cell(pair.get('chainer'))), file=out)
    ran = sum(1 for pair in by_example.values()
              if pair.get('chainvision', {}).get('returncode') == 0)
    print('\nchainvision runs {} of {} example runs.'.format(ran, len(by_example)), file=out)
    if trends:
        print('\n| example | key | Chainer first -> last | chainvision first -> last | same '
              'trend |', file=out)
        print('| --- | --- | --- | --- | --- |', file=out)
        for name, rows in trends.items():
            for key, row in rows.items():
                print('| {} | {} | {:.4f} -> {:.4f} | {:.4f} -> {:.4f} | {} |'.format(
                    name, key, *row['chainer'], *row['chainvision'],
                    {True: 'yes', False: 'no', None: '-'}[row.get('same_trend')]), file=out)
    if models:
        print('\n| model file | Chainer loss | chainvision loss | relative error | gradient '
              'relative error (L2) |', file=out)
        print('| --- | ---: | ---: | ---: | ---: |', file=out)
        for name, entry in models.items():
            ours = entry.get('chainvision', {})
            if 'error' in ours or 'error' in entry.get('chainer', {}):
                error = ours.get('error') or entry['chainer']['error']
                print('| {} | fails: `{}` | | | |'.format(name, error[:200]), file=out)
                continue
            print('| {} | {:.7g} | {:.7g} | {:.1e} | {:.1e} |'.format(
                name, ours['chainer_loss'], ours['loss'], ours['output_relative_error'],
                ours['grad_relative_error']), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('names', nargs='*', help='examples to run (default: all of the budget)')
    parser.add_argument('--budget', choices=sorted(BUDGETS), default='small')
    parser.add_argument('--chainer-python', type=pathlib.Path, default=CHAINER_PYTHON)
    parser.add_argument('--no-chainer', action='store_true', help='run chainvision only')
    parser.add_argument('--no-models', action='store_true', help='skip the model-file checks')
    parser.add_argument('--only-models', action='store_true', help='run the model-file checks only')
    parser.add_argument('--timeout', type=int, default=1800, help='seconds per run')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--json', type=pathlib.Path, help='also write the results here')
    args = parser.parse_args(argv)
    use_chainer = not args.no_chainer and args.chainer_python.exists()
    folders = prepare_examples()
    budget = BUDGETS[args.budget]
    context = {'epochs': budget['epochs'], 'scale': budget['scale'],
               'chainer_datasets': WORK / 'chainer-datasets', 'imagenet': WORK / 'imagenet-tiny'}
    context['iterations'] = budget['epochs'] * int(3000 * budget['scale']) // 100
    # 'full' runs every example; the others, the examples that list them.
    selected = [] if args.only_models else [
        e for e in EXAMPLES if (e.name in args.names if args.names
                                else args.budget in e.budgets + ('full',))]
    if use_chainer and any(e.train is not None for e in selected):
        write_chainer_datasets(context['chainer_datasets'])
    if any(e.script.startswith('imagenet/') for e in selected):
        write_tiny_imagenet(context['imagenet'])
    frameworks = (['chainer'] if use_chainer else []) + ['chainvision']
    pythons = {'chainer': args.chainer_python, 'chainvision': pathlib.Path(sys.executable)}
    runs = []
    for example in selected:
        # An example that reads what real Chainer wrote runs on chainvision only.
        for framework in ['chainvision'] if example.copies else frameworks:
            if example.copies and not use_chainer:
                continue
            result = run_example(example, framework, pythons[framework], folders, context,
                                 args.timeout, args.threads)
            print('{example} [{framework}]: returncode {returncode}, {seconds} s'.format(
                **result) + ('' if result['error'] is None else ' -- ' + result['error']),
                flush=True)
            runs.append(result)
            if args.json:
                args.json.write_text(json.dumps({'runs': runs, 'not_run': NOT_RUN}, indent=1))
    logs = collections.defaultdict(dict)
    for run in runs:
        logs[run['example']][run['framework']] = run['log']
    trends = {name: t for name, pair in logs.items()
              if (t := compare_trends(pair.get('chainer'), pair.get('chainvision')))}
    models = None
    if use_chainer and not args.no_models:
        models = compare_models(pythons, folders, WORK / 'model-checks', args.threads,
                                args.timeout)
    if args.json:
        args.json.write_text(json.dumps({'runs': runs, 'trends': trends, 'models': models,
                                         'not_run': NOT_RUN}, indent=1))
    print()
    print_report(runs, trends, models)
    return 0


if __name__ == '__main__':
    sys.exit(main())
