"""The published figures each recipe is compared against."""

from chainvision.app import options
from chainvision.app.recipes import RECIPES


def test_he2016_table6_test_accuracies():
    # He et al. 2016, Table 6: test error 8.75 / 7.51 / 7.17 / 6.97 / 6.43 %.
    assert RECIPES['he2016-cifar'].published == {
        'resnet20': 91.25, 'resnet32': 92.49, 'resnet44': 92.83, 'resnet56': 93.03,
        'resnet110': 93.57}


def test_uva_tutorial5_results_table():
    # UvA DL Tutorial 5, "Conclusion and Comparison" table, test accuracy.
    assert RECIPES['uva-tutorial'].published == {
        'googlenet_cifar': 89.70, 'resnet_cifar': 91.06, 'preact_resnet_cifar': 91.07,
        'densenet_cifar': 90.23}


def test_lenet5_to_convergence_leaves_the_main_commands_defaults_alone():
    assert options.resolve('lenet5', 'mnist')['epochs'] == 6
    converged = options.resolve('lenet5', 'mnist', 'lenet5-mnist')
    assert (converged['epochs'], converged['val_split'], converged['optimizer']) == (20, 0, 'adam')
    assert RECIPES['lenet5-mnist'].published == {}
