"""A run's results: the final and best-checkpoint accuracies, its time and
throughput, written to ``results.json`` beside ``last.pt``.

Both accuracies are computed by the network's fast inference form
(:class:`~chainvision.models.FastInference`: BatchNorm folded, in the run's
precision and layout) with the run's test-time augmentation on top, each
view calling the fast form; the network itself is not changed.
"""

import os
import time
from typing import TYPE_CHECKING, Any, Dict

import torch

from chainvision.app import checkpoint, metrics
from chainvision.app.test_time_augmentation import with_test_time_augmentation

if TYPE_CHECKING:
    from chainvision.app.run import Run


def final_results(run: 'Run') -> Dict[str, Any]:
    """Evaluate the finished ``run`` and, on rank 0, save ``last.pt`` (in
    the run's weights format) and ``results.json``.

    Returns:
        dict: ``out``, ``iterations``, ``epochs``, ``train_time_s``,
        ``images_per_s``, ``<split>_accuracy`` for each evaluation split
        (with the run's test-time augmentation, option ``tta``);
        on rank 0 also ``best_*`` (when a best checkpoint exists),
        ``files`` and ``total_time_s`` (this process's wall time plus, for a
        resumed run, the training time of the processes before it).
    """
    trainer, updater = run.trainer, run.trainer.updater
    out = {'out': os.path.abspath(run.out), 'iterations': updater.iteration,
           'epochs': round(updater.epoch_detail, 3),
           'train_time_s': round(trainer.elapsed_time, 2)}
    num_classes = len(run.data.class_names)
    # Every rank takes part in these evaluations (their counts are summed).
    predictor = evaluation_predictor(run)
    for name, loader in run.eval_loaders.items():
        matrix = metrics.confusion_matrix(predictor, loader, num_classes, run.context,
                                          _progress(run, 'the {} split'.format(name)))
        out['{}_accuracy'.format(name)] = metrics.accuracy(matrix)
    seen = updater.timed_updates * run.config['batch_size']
    out['images_per_s'] = round(seen / max(updater.update_seconds, 1e-9), 1)
    folder = run.folder
    if folder is None:
        return out
    folder.save_model('last', run.predictor, run.describe(iteration=updater.iteration,
                                                          epoch=updater.epoch_detail))
    best_path = folder.model_file('best')
    if os.path.exists(best_path):
        out.update(best_results(run, best_path))
    out['files'] = {name: folder.file(name) for name in sorted(os.listdir(folder.path))
                    if not name.startswith('.')}
    # A resumed run adds the training time of its earlier processes.
    out['total_time_s'] = round(time.perf_counter() - run.started
                                + trainer.restored_elapsed_time, 2)
    folder.write_json('results.json', out)
    return out


def best_results(run: 'Run', best_path: str) -> Dict[str, Any]:
    """``best_iteration``, ``best_val_accuracy`` and (with a test split)
    ``best_test_accuracy`` of the checkpoint at ``best_path``; the weights
    in ``run.predictor`` are restored afterwards."""
    saved = checkpoint.load_checkpoint(best_path)
    out = {'best_iteration': saved['iteration'], 'best_val_accuracy': saved['val_accuracy']}
    if 'test' in run.eval_loaders:
        predictor = run.predictor
        final_state = {k: v.clone() for k, v in predictor.state_dict().items()}
        checkpoint.load_state_into(predictor, saved['state_dict'])
        matrix = metrics.confusion_matrix(
            evaluation_predictor(run), run.eval_loaders['test'], len(run.data.class_names),
            progress=_progress(run, 'the best checkpoint on the test split'))
        out['best_test_accuracy'] = metrics.accuracy(matrix)
        predictor.load_state_dict(final_state)
    return out


def evaluation_predictor(run: 'Run') -> torch.nn.Module:
    """What the final evaluations call, images ``(N, C, H, W)`` -> float32
    logits ``(N, K)``: the run's fast inference form
    (``run.inference_predictor``, at ``config['precision']`` and
    ``config['channels_last']``) under its test-time augmentation
    (``config['tta']``)."""
    return with_test_time_augmentation(run.inference_predictor, run.config['tta'])


def _progress(run: 'Run', description: str):
    # Evaluation of a split can take longer than training: say so (rank 0,
    # unless the run was asked to be quiet).
    return description if run.context.is_main and run.config['progress'] else None
