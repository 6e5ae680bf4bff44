"""The application layer: what ``chainvision.fit`` and the ``chainvision``
command do with the library (options, data, model, run folder, results).

It sits on every library package (the core, ``functions``, ``links``,
``models``, ``datasets``, ``optimizers``, ``training``) and under ``cli/``,
which only parses the command line and calls it.  One module per concern:

==================  ==============================================================
``options``         the one options table: defaults, checks, resume rules, flags
``recipes``         published recipes and each model's default options
``data``            splits, validation hold-out, normalisation, loaders
``model``           the network, its lazy parameters, the loss ``Classifier``
``optimization``    optimizer and learning-rate schedule
``run``             :class:`~chainvision.app.run.Run`: one run's state, built and trained
``stopping``        the stop trigger and the Ctrl-C / SIGTERM handling
``reporting``       log trigger, throughput fields, run files, best checkpoint
``run_folder``      :class:`~chainvision.app.run_folder.RunDirectory`: logs, plots, JSON
``checkpoint``      self-describing ``best.pt``/``last.pt`` (or ``.safetensors``, ``.npz``)
``weight_files``    any weight file (checkpoint, torchvision, timm, Caffe, Chainer) as a network
``metrics``         confusion matrix and accuracies over a whole split
``results``         final and best-checkpoint results, ``results.json``
``fit``             :func:`~chainvision.app.fit.fit`, the entry point
``evaluate``        a checkpoint's confusion matrix on a split, and its picture
``predict``         a checkpoint's top-k classes for image files
``inference``       :class:`~chainvision.app.inference.InferenceModel` and ``chainvision.load``
``export``          ONNX, TorchScript and ``torch.export`` files of an ``InferenceModel``
``convert``         a weight file written as a checkpoint (``chainvision convert``)
``reproduce``       a published recipe's runs over seeds, beside the paper's table
==================  ==============================================================

Submodules are imported on use (``from chainvision.app.fit import fit``),
so the command line builds its parser without loading the trainer.
"""
