"""Reproducing a published recipe: every model of it, with several seeds,
its mean ± std test accuracy beside the paper's (what ``chainvision
reproduce`` runs).

Runs go to ``OUT/<model>-seed<k>/``; a finished run (with ``results.json``)
is skipped and a stopped one resumed, so a second call picks up where the
first stopped.  ``results.md`` and ``results.png`` are rewritten after every
run and cover every finished run in ``OUT`` (other models' and seeds' from
earlier calls too).  ``budget`` runs the first fraction of each schedule
(its milestones scaled with it), for smoke tests: those figures are not the
paper's.
"""

import contextlib
import json
import math
import os
import re
import shutil
import statistics
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch

from chainvision import backend
from chainvision.app import provenance, recipes
from chainvision.app.fit import fit
from chainvision.app.workers import WorkerDied, worker_pool
from chainvision.utils import plotting
from chainvision.utils.atomic import atomic_write


def reproduce(recipe_name: str, models: Optional[Sequence[str]] = None, seeds: int = 1,
              budget: float = 1., out: Optional[str] = None, device: str = 'auto',
              progress: bool = True, jobs: int = 1) -> Dict[str, List[float]]:
    """Run (or resume, or skip when done) every model x seed of a recipe.

    Args:
        jobs (int): runs trained at once, each in its own process, with its
            output in ``OUT/<model>-seed<k>.log``: several small runs fill a
            GPU that one leaves idle; on the CPU each gets an equal share of
            PyTorch's threads.

    Returns:
        dict: model name -> list of test accuracies (fractions), one per
        finished seed.
    """
    recipe = recipes.get_recipe(recipe_name)
    models = list(models or recipe.models)
    if seeds < 1:
        raise ValueError('--seeds must be at least 1, got {}.'.format(seeds))
    if jobs < 1:
        raise ValueError('--jobs must be at least 1, got {}.'.format(jobs))
    out = out or default_out(recipe_name, budget)
    to_train = [(model, seed) for model in models for seed in range(seeds)
                if not _finished(_run_folder(out, model, seed))]
    seconds: List[float] = []
    jobs = min(jobs, len(to_train)) or 1

    def finished(model, seed, run_seconds):
        seconds.append(run_seconds)
        if jobs > 1:   # runs end out of order: say which one
            print('[{}/{}] {} seed {} done in {:.1f} min; {}'.format(
                len(seconds), len(to_train), model, seed, run_seconds / 60,
                time_left(seconds, len(to_train), jobs)), flush=True)
        write_report(recipe, _folder_results(out, recipe, models), budget, out, device)

    if jobs == 1:
        for model, seed in to_train:
            print('[{}/{}] {}'.format(len(seconds) + 1, len(to_train),
                                      time_left(seconds, len(to_train))), flush=True)
            started = time.perf_counter()
            _train(recipe, model, seed, budget, _run_folder(out, model, seed), device, progress)
            finished(model, seed, time.perf_counter() - started)
    else:
        _train_in_processes(recipe, to_train, budget, out, device, jobs, finished)
    if not to_train:     # else the last run to finish wrote it
        write_report(recipe, _folder_results(out, recipe, models), budget, out, device)
    results = _results(out, models, seeds)
    key = _accuracy_key(recipe)
    return {model: [r[key] for r in runs] for model, runs in results.items()}


def _run_folder(out, model, seed):
    return os.path.join(out, '{}-seed{}'.format(model, seed))


def _accuracy_key(recipe):
    return 'best_test_accuracy' if recipe.checkpoint == 'best' else 'test_accuracy'


_RUN_FOLDER = re.compile(r'^(?P<model>.+)-seed(?P<seed>[0-9]+)$')


def _finished_runs(out):
    """model -> ``[(seed, results.json)]`` of every finished run in
    ``out``, in seed order."""
    found: Dict[str, List[Tuple[int, Dict[str, Any]]]] = {}
    for name in os.listdir(out) if os.path.isdir(out) else []:
        match = _RUN_FOLDER.match(name)
        result = _finished(os.path.join(out, name)) if match else None
        if result is not None:
            found.setdefault(match['model'], []).append((int(match['seed']), result))
    return {model: sorted(runs, key=lambda run: run[0]) for model, runs in found.items()}


def _results(out, models, seeds):
    # model -> the results.json of its finished seeds below ``seeds``.
    found = _finished_runs(out)
    return {model: [result for seed, result in found.get(model, []) if seed < seeds]
            for model in models}


def _folder_results(out, recipe, models):
    """model -> the results.json of every finished run in ``out``, in seed
    order: the report covers the folder, so that runs of other models or
    more seeds from earlier calls keep their rows.  The ``models`` asked
    for come in even without a finished run; the recipe's order first."""
    found = _finished_runs(out)
    named = set(found) | set(models)
    order = [model for model in recipe.models if model in named] + sorted(
        named - set(recipe.models))
    return {model: [result for _, result in found.get(model, [])] for model in order}


def _train_in_processes(recipe, to_train, budget, out, device, jobs, finished):
    # Each process trains one run at a time.
    threads = max(1, torch.get_num_threads() // jobs)
    print('{} runs, {} at a time ({} CPU threads each); each writes its output to {}'.format(
        len(to_train), jobs, threads, os.path.join(out, 'MODEL-seedK.log')), flush=True)
    with worker_pool(jobs) as pool:
        # A failed run stops the reproduction: the runs not started stay
        # unstarted (a second call resumes them), those running finish.
        tasks = {(model, seed): (_train_logged, (recipe.name, model, seed, budget,
                                                 _run_folder(out, model, seed), device, threads))
                 for model, seed in to_train}
        try:
            for (model, seed), future in pool.each_as_done(tasks):
                finished(model, seed, future.result())
        except WorkerDied as died:
            raise RuntimeError(
                'a worker process ended abruptly (killed by a signal, or out of memory) while '
                'training {}; the finished runs are kept: run the same command again to resume '
                'the others (from their snapshots, where they saved one; their output is in {}), '
                'with fewer --jobs if memory ran out'.format(
                    ' and '.join('{} seed {}'.format(*key) for key in died.keys),
                    os.path.join(out, 'MODEL-seedK.log'))) from died


def _train_logged(recipe_name, model, seed, budget, run_out, device, threads):
    """One run in a worker process, its output in ``run_out + '.log'``;
    returns its wall time in seconds."""
    torch.set_num_threads(threads)
    os.makedirs(os.path.dirname(run_out) or '.', exist_ok=True)
    with open(run_out + '.log', 'a') as log, \
            contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        started = time.perf_counter()
        _train(recipes.get_recipe(recipe_name), model, seed, budget, run_out, device,
               progress=False, threads=threads)
    return time.perf_counter() - started


def time_left(seconds: Sequence[float], total: int, jobs: int = 1) -> str:
    """``'about 12 min left'`` for ``total`` runs of which those timed in
    ``seconds`` are done (their mean times the runs to go, ``jobs`` of
    them at once), or what is not known yet."""
    if not seconds:
        return 'time left: known after the first run'
    left = statistics.fmean(seconds) * math.ceil((total - len(seconds)) / jobs)
    return 'about {} left ({} of {} runs done)'.format(
        '{:.0f} min'.format(left / 60) if left >= 90 else '{:.0f} s'.format(left),
        len(seconds), total)


def default_out(recipe_name: str, budget: float) -> str:
    """``reproduce/RECIPE``, with ``-budgetF`` appended for a shortened
    schedule (so a smoke test never mixes with the full runs)."""
    suffix = '' if budget == 1 else '-budget{:g}'.format(budget)
    return os.path.join('reproduce', recipe_name + suffix)


def _finished(run_out):
    path = os.path.join(run_out, 'results.json')
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return None


def _train(recipe, model, seed, budget, run_out, device, progress, **options):
    # ``options``: more options of fit, e.g. ``threads``.
    if os.path.exists(os.path.join(run_out, 'snapshot')):
        print('Resuming {}'.format(run_out), flush=True)
        return fit(None, None, out=run_out, resume=True, device=device, progress=progress,
                   **options)
    print('Training {} (seed {}) into {}'.format(model, seed, run_out), flush=True)
    return fit(model, recipe.dataset, out=run_out, recipe=recipe.name, seed=seed, budget=budget,
               device=device, progress=progress, **options)


def summarize(values: Sequence[float]) -> Tuple[float, float]:
    """``(mean, std)`` in percent of a list of accuracy fractions (std 0
    for one run)."""
    percents = [100. * v for v in values]
    std = statistics.stdev(percents) if len(percents) > 1 else 0.
    return statistics.fmean(percents), std


# The rule every row is judged by, and the runs a verdict needs.
TOLERANCE = 0.3
MIN_SEEDS = 3
RULE = ('a row is reproduced when its mean is within {} points of the published figure, or '
        'within two standard deviations of it where the paper gives a spread; a verdict '
        'needs the whole schedule and at least {} seeds'.format(TOLERANCE, MIN_SEEDS))


def is_reproduced(mean: float, published: float, published_std: Optional[float] = None) -> bool:
    """:data:`RULE` for a mean test accuracy (percent) against the paper's."""
    margin = max(TOLERANCE, 2 * published_std) if published_std is not None else TOLERANCE
    return abs(mean - published) <= margin


def not_comparable(budget: float, runs: int) -> List[str]:
    """Why a row of ``runs`` seeds at ``budget`` cannot be judged (empty
    when it can)."""
    reasons = []
    if budget != 1:
        reasons.append('a smoke test of {:g} of the schedule (--budget)'.format(budget))
    if runs < MIN_SEEDS:
        reasons.append('{} seed{}, fewer than {}'.format(runs, '' if runs == 1 else 's',
                                                         MIN_SEEDS))
    return reasons


def _verdict(recipe, model, mean, budget, runs):
    if not_comparable(budget, runs):
        return 'not comparable'
    if model not in recipe.published:
        return '—'
    reproduced = is_reproduced(mean, recipe.published[model], recipe.published_std.get(model))
    return 'yes' if reproduced else 'no'


def _minutes(seconds: Sequence[float]) -> str:
    if not seconds:
        return '—'
    return '{:.1f} min (max {:.1f})'.format(statistics.fmean(seconds) / 60, max(seconds) / 60)


def markdown_table(recipe: recipes.Recipe, accuracies: Dict[str, List[float]], budget: float,
                   wall_times: Optional[Dict[str, List[float]]] = None,
                   machine: str = 'unknown', commit: str = 'unknown') -> str:
    """The comparison as a Markdown table: per model the seeds, mean ± std
    and min test accuracy, the paper's figure, the difference, the verdict of
    :data:`RULE` and the wall time per run (``wall_times``: seconds per
    finished run), with the machine and the commit that made them."""
    weights = 'best-validation checkpoint' if recipe.checkpoint == 'best' else 'final weights'
    lines = ['# {}: reproduced vs published'.format(recipe.name), '',
             'Published: {}. Test accuracy on {} ({}).'.format(recipe.citation, recipe.dataset,
                                                               weights),
             'Rule: {}.'.format(RULE),
             'Machine: {}. Commit: {}.'.format(machine, commit)]
    if budget != 1:
        lines.append('**Smoke test: {:g} of the schedule; not comparable with the paper.**'
                     .format(budget))
    lines += ['', '| model | seeds | test accuracy (mean ± std) | min | published | difference '
              '| reproduced | wall time per run |',
              '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |']
    reasons = []
    for model, values in accuracies.items():
        if not values:
            continue
        mean, std = summarize(values)
        published = recipe.published.get(model)
        spread = recipe.published_std.get(model)
        lines.append('| {} | {} | {:.2f} ± {:.2f} % | {:.2f} % | {} | {} | {} | {} |'.format(
            model, len(values), mean, std, 100. * min(values),
            '—' if published is None else '{:.2f}{} %'.format(
                published, '' if spread is None else ' ± {:.2f}'.format(spread)),
            '—' if published is None else '{:+.2f}'.format(mean - published),
            _verdict(recipe, model, mean, budget, len(values)),
            _minutes((wall_times or {}).get(model, []))))
        if not_comparable(budget, len(values)):
            reasons.append('- {}: {}.'.format(model, '; '.join(not_comparable(budget,
                                                                                len(values)))))
    if reasons:
        lines += ['', 'Not comparable with the paper:'] + reasons
    return '\n'.join(lines) + '\n'


def write_report(recipe: recipes.Recipe, runs: Dict[str, List[Dict[str, Any]]], budget: float,
                 out: str, device: str = 'auto') -> None:
    """Write ``results.md`` (with the machine of ``device`` and this
    checkout's commit) and, with matplotlib, ``results.png`` into ``out``.

    Args:
        runs (dict): model name -> the ``results.json`` of its finished runs.
    """
    key = _accuracy_key(recipe)
    accuracies = {model: [r[key] for r in results] for model, results in runs.items()}
    # total_time_s: data, model, training and evaluation.
    wall_times = {model: [r['total_time_s'] for r in results if 'total_time_s' in r]
                  for model, results in runs.items()}
    machine = provenance.machine_description(backend.get_device(device).torch_device)
    with atomic_write(os.path.join(out, 'results.md'), 'w') as f:
        f.write(markdown_table(recipe, accuracies, budget, wall_times, machine,
                               provenance.source_commit()))
    plot_comparison(recipe, accuracies, os.path.join(out, 'results.png'))


# What a published copy of the runs holds: tables, curves and JSON logs;
# never checkpoints or snapshots.
PUBLISHED_FILES = ('results.md', 'results.png', 'config.json', 'results.json', 'log.jsonl')


def publish(out: str, dest: str) -> List[str]:
    """Copy the tables, plots and JSON logs of the reproduction in ``out``
    (its ``results.md``/``results.png`` and each finished run folder's
    ``config.json``, ``results.json``, ``log.jsonl`` and curves) into
    ``dest``, keeping the layout; checkpoints and snapshots stay behind, and
    so do runs still in progress (their files would go stale).
    Returns the copied paths, relative to ``dest``."""
    copied = []
    for folder, _, names in sorted(os.walk(out)):
        run = os.path.join(out, os.path.relpath(folder, out).split(os.sep)[0])
        if folder != out and _finished(run) is None:
            continue
        for name in sorted(names):
            if name in PUBLISHED_FILES or (name.endswith('.png') and folder != out):
                relative = os.path.relpath(os.path.join(folder, name), out)
                os.makedirs(os.path.dirname(os.path.join(dest, relative)), exist_ok=True)
                shutil.copyfile(os.path.join(out, relative), os.path.join(dest, relative))
                copied.append(relative)
    return copied


def plot_comparison(recipe: recipes.Recipe, accuracies: Dict[str, List[float]],
                    path: str) -> bool:
    """Bars of mean ± std accuracy with the published figure marked on each."""
    plt = plotting.pyplot()
    if plt is None:
        return False
    models = [m for m, values in accuracies.items() if values]
    stats = [summarize(accuracies[m]) for m in models]
    figure, axes = plt.subplots(figsize=(1.4 * len(models) + 2, 4))
    positions = range(len(models))
    axes.bar(positions, [s[0] for s in stats], yerr=[s[1] for s in stats], capsize=4,
             color='tab:blue', alpha=0.7, label='reproduced (mean ± std)')
    published = [(i, recipe.published[m]) for i, m in enumerate(models) if m in recipe.published]
    if published:
        axes.scatter(*zip(*published), marker='_', s=600, color='tab:red', zorder=3,
                     label='published')
    axes.set_xticks(list(positions), models, rotation=20)
    axes.set_ylabel('test accuracy (%)')
    lowest = min([s[0] - s[1] for s in stats] + [v for _, v in published])
    axes.set_ylim(max(0., lowest - 5.), 100.)
    axes.set_title(recipe.name)
    axes.legend(loc='lower right')
    plotting.save_figure(figure, path)
    return True
