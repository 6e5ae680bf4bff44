"""Reproducing a published recipe: every model of it, with several seeds,
its mean ± std test accuracy beside the paper's (what ``chainvision
reproduce`` runs).

Runs go to ``OUT/<model>-seed<k>/``; a finished run (with ``results.json``)
is skipped and a stopped one resumed, so a second call picks up where the
first stopped.  ``results.md`` and ``results.png`` are rewritten after every
run.  ``budget`` runs the first fraction of each schedule (its milestones
scaled with it), for smoke tests: those figures are not the paper's.
"""

import json
import os
import statistics
from typing import Dict, List, Optional, Sequence, Tuple

from chainvision.app import recipes
from chainvision.app.fit import fit
from chainvision.utils import plotting
from chainvision.utils.atomic import atomic_write


def reproduce(recipe_name: str, models: Optional[Sequence[str]] = None, seeds: int = 1,
              budget: float = 1., out: Optional[str] = None, device: str = 'auto',
              progress: bool = True) -> Dict[str, List[float]]:
    """Run (or resume, or skip when done) every model x seed of a recipe.

    Returns:
        dict: model name -> list of test accuracies (fractions), one per
        finished seed.
    """
    recipe = recipes.get_recipe(recipe_name)
    models = list(models or recipe.models)
    if seeds < 1:
        raise ValueError('--seeds must be at least 1, got {}.'.format(seeds))
    out = out or default_out(recipe_name, budget)
    accuracies: Dict[str, List[float]] = {}
    for model in models:
        accuracies[model] = []
        for seed in range(seeds):
            run_out = os.path.join(out, '{}-seed{}'.format(model, seed))
            results = _finished(run_out) or _train(recipe, model, seed, budget, run_out,
                                                   device, progress)
            key = 'best_test_accuracy' if recipe.checkpoint == 'best' else 'test_accuracy'
            accuracies[model].append(results[key])
            write_report(recipe, accuracies, budget, out)
    return accuracies


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


def _train(recipe, model, seed, budget, run_out, device, progress):
    if os.path.exists(os.path.join(run_out, 'snapshot')):
        print('Resuming {}'.format(run_out), flush=True)
        return fit(None, None, out=run_out, resume=True, device=device, progress=progress)
    print('Training {} (seed {}) into {}'.format(model, seed, run_out), flush=True)
    return fit(model, recipe.dataset, out=run_out, recipe=recipe.name, seed=seed, budget=budget,
               device=device, progress=progress)


def summarize(values: Sequence[float]) -> Tuple[float, float]:
    """``(mean, std)`` in percent of a list of accuracy fractions (std 0
    for one run)."""
    percents = [100. * v for v in values]
    std = statistics.stdev(percents) if len(percents) > 1 else 0.
    return statistics.fmean(percents), std


def markdown_table(recipe: recipes.Recipe, accuracies: Dict[str, List[float]],
                   budget: float) -> str:
    """The comparison as a Markdown table (one row per model)."""
    weights = 'best-validation checkpoint' if recipe.checkpoint == 'best' else 'final weights'
    lines = ['# {}: reproduced vs published'.format(recipe.name), '',
             'Published: {}. Test accuracy on {} ({}).'.format(recipe.citation, recipe.dataset,
                                                               weights)]
    if budget != 1:
        lines.append('**Shortened run: {:g} of the schedule; not comparable with the paper.**'
                     .format(budget))
    lines += ['', '| model | runs | test accuracy (mean ± std) | published | difference |',
              '| --- | ---: | ---: | ---: | ---: |']
    for model, values in accuracies.items():
        if not values:
            continue
        mean, std = summarize(values)
        published = recipe.published.get(model)
        lines.append('| {} | {} | {:.2f} ± {:.2f} % | {} | {} |'.format(
            model, len(values), mean, std,
            '—' if published is None else '{:.2f} %'.format(published),
            '—' if published is None else '{:+.2f}'.format(mean - published)))
    return '\n'.join(lines) + '\n'


def write_report(recipe: recipes.Recipe, accuracies: Dict[str, List[float]], budget: float,
                 out: str) -> None:
    """Write ``results.md`` and, with matplotlib, ``results.png`` into ``out``."""
    with atomic_write(os.path.join(out, 'results.md'), 'w') as f:
        f.write(markdown_table(recipe, accuracies, budget))
    plot_comparison(recipe, accuracies, os.path.join(out, 'results.png'))


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
