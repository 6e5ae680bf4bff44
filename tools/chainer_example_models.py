"""Compare the model files of Chainer's examples, run by real Chainer and by
chainvision with the same weights.

    # in Chainer's environment, on the original examples:
    python tools/chainer_example_models.py --framework chainer --examples DIR --out OUT
    # in chainvision's, on the import-rewritten copy:
    python tools/chainer_example_models.py --framework chainvision --examples DIR --out OUT

With ``--framework chainer`` each model of :data:`MODELS` is built (NumPy
seeded), run once in test mode on fixed inputs, and differentiated; the
weights go to ``OUT/<name>.npz`` (``serializers.save_npz``) and the inputs,
outputs and parameter gradients to ``OUT/<name>-io.npz``.  With ``--framework
chainvision`` the same model file is built, the weights are loaded from
Chainer's npz, and the outputs and gradients are compared: one JSON line per
model with the largest absolute differences (``output``, ``grad``, the
gradient's relative to its largest magnitude).  Only the standard library and
NumPy are imported before the framework, so this file runs in both
environments.
"""

import argparse
import importlib
import json
import os
import sys

import numpy


def _classifier_loss(fw, model, x, t):
    return model(x, t)


def _weighted_sum(fw, model, x, weights):
    return fw.functions.sum(model(x) * fw.as_variable(weights))


def _vae_objective(fw, model, x):
    """The VAE loss without sampling: the decoder reads the posterior's mean."""
    encoder, decoder, prior = model.encoder, model.decoder, model.prior
    q_z = encoder(x)
    # One "sample" (the mean), on the leading sample axis the decoder expects.
    z = fw.functions.expand_dims(q_z.mean, 0)
    reconstruction = fw.functions.mean(decoder(z).log_prob(x[None]))
    return fw.functions.mean(fw.kl_divergence(q_z, prior())) - reconstruction


def _pixels(shape):
    return lambda rng: (rng.uniform(0, 1, shape).astype(numpy.float32),)


def _images_and_labels(size, classes=1000, batch=2):
    return lambda rng: (rng.uniform(-1, 1, (batch, 3, size, size)).astype(numpy.float32),
                        rng.randint(0, classes, batch).astype(numpy.int32))


def _with_weights(shape, out_shape):
    return lambda rng: (rng.uniform(-1, 1, shape).astype(numpy.float32),
                        rng.uniform(-1, 1, out_shape).astype(numpy.float32))


# name: (example folder, module, constructor expression, inputs, scalar objective)
MODELS = {
    'mnist/MLP': ('mnist', 'train_mnist', 'MLP(50, 10)', _with_weights((8, 784), (8, 10)),
                  _weighted_sum),
    'serialization/MLP': ('serialization', 'model', 'MLP()', _with_weights((8, 784), (8, 10)),
                          _weighted_sum),
    'cifar/VGG': ('cifar', 'models.VGG', 'VGG(10)', _with_weights((2, 3, 32, 32), (2, 10)),
                  _weighted_sum),
    'imagenet/alex': ('imagenet', 'alex', 'Alex()', _images_and_labels(227), _classifier_loss),
    'imagenet/nin': ('imagenet', 'nin', 'NIN()', _images_and_labels(227), _classifier_loss),
    'imagenet/googlenet': ('imagenet', 'googlenet', 'GoogLeNet()', _images_and_labels(224),
                           _classifier_loss),
    'imagenet/googlenetbn': ('imagenet', 'googlenetbn', 'GoogLeNetBN()', _images_and_labels(224),
                             _classifier_loss),
    'imagenet/resnet50': ('imagenet', 'resnet50', 'ResNet50()', _images_and_labels(224),
                          _classifier_loss),
    'imagenet/resnext50': ('imagenet', 'resnext50', 'ResNeXt50()', _images_and_labels(224),
                           _classifier_loss),
    'dcgan/Generator': ('dcgan', 'net', 'Generator(100)',
                        _with_weights((2, 100), (2, 3, 32, 32)), _weighted_sum),
    'dcgan/Discriminator': ('dcgan', 'net', 'Discriminator()',
                            _with_weights((2, 3, 32, 32), (2, 1)), _weighted_sum),
    'vae/AvgELBOLoss': ('vae', 'net', 'AvgELBOLoss(Encoder(784, 20, 50), Decoder(784, 20, 50), '
                        'Prior(20))', _pixels((4, 784)), _vae_objective),
}


def _file_stem(name):
    return name.replace('/', '-')


def _build(fw, examples, name):
    folder, module_name, constructor, _, _ = MODELS[name]
    path = os.path.join(examples, folder)
    sys.path.insert(0, path)
    try:
        for loaded in [m for m in sys.modules if m in ('net', 'model', 'models')
                       or m.startswith('models.')]:
            del sys.modules[loaded]  # dcgan's and vae's net.py share a name
        module = importlib.import_module(module_name)
    finally:
        sys.path.remove(path)
    return eval(constructor, vars(module))


def _objective(fw, model, name, inputs):
    with fw.using_config('train', False):
        loss = MODELS[name][4](fw, model, *inputs)
    model.cleargrads()
    loss.backward()
    grads = {path: numpy.asarray(param.grad)
             for path, param in model.namedparams() if param.grad is not None}
    return numpy.asarray(loss.array), grads


def record(fw, examples, out, name):
    """Run a model under real Chainer and save its weights, inputs, output and gradients."""
    numpy.random.seed(0)
    model = _build(fw, examples, name)
    inputs = MODELS[name][3](numpy.random.RandomState(1))
    loss, grads = _objective(fw, model, name, inputs)
    fw.serializers.save_npz(os.path.join(out, _file_stem(name) + '.npz'), model)
    numpy.savez(os.path.join(out, _file_stem(name) + '-io.npz'), loss=loss,
                **{'input{}'.format(i): x for i, x in enumerate(inputs)},
                **{'grad' + path: g for path, g in grads.items()})


def compare(fw, examples, out, name):
    """Load Chainer's weights into chainvision's model; return the differences."""
    model = _build(fw, examples, name)
    saved = numpy.load(os.path.join(out, _file_stem(name) + '-io.npz'))
    inputs = [saved['input{}'.format(i)] for i in range(len(saved.files))
              if 'input{}'.format(i) in saved.files]
    with fw.using_config('train', False):
        MODELS[name][4](fw, model, *inputs)  # creates lazily shaped parameters
    fw.serializers.load_npz(os.path.join(out, _file_stem(name) + '.npz'), model)
    loss, grads = _objective(fw, model, name, inputs)
    expected = {key[len('grad'):]: saved[key] for key in saved.files if key.startswith('grad')}
    missing = sorted(set(expected) ^ set(grads))
    shared = [p for p in expected if p in grads]
    difference = numpy.concatenate([(grads[p] - expected[p]).ravel() for p in shared])
    reference = numpy.concatenate([expected[p].ravel() for p in shared])
    output_error = float(numpy.abs(loss - saved['loss']).max())
    # Gradients are compared as a whole (relative L2 norm): where an activation sits within
    # rounding of a ReLU's kink, the two frameworks may take different sides, and a few
    # elements then differ by a lot while the gradient as a whole agrees.
    return {'model': name, 'loss': float(loss), 'chainer_loss': float(saved['loss']),
            'output_error': output_error,
            'output_relative_error': output_error / max(1.0, float(abs(saved['loss']))),
            'grad_relative_error': float(numpy.linalg.norm(difference)
                                         / numpy.linalg.norm(reference)),
            'grad_max_error': float(numpy.abs(difference).max()),
            'params': len(expected), 'unmatched_params': missing}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--framework', choices=('chainer', 'chainvision'), required=True)
    parser.add_argument('--examples', required=True, help="the examples' folder")
    parser.add_argument('--out', required=True, help='where the weights and results go')
    parser.add_argument('names', nargs='*', help='models (default: all of MODELS)')
    args = parser.parse_args(argv)
    fw = importlib.import_module(args.framework)
    importlib.import_module(args.framework + '.functions')
    os.makedirs(args.out, exist_ok=True)
    for name in args.names or MODELS:
        try:
            if args.framework == 'chainer':
                record(fw, args.examples, args.out, name)
                result = {'model': name, 'recorded': True}
            else:
                result = compare(fw, args.examples, args.out, name)
        except Exception as error:  # one model's failure is a result, not the end of the run
            result = {'model': name, 'error': '{}: {}'.format(type(error).__name__, error)}
        print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
