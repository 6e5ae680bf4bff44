import threading

import torch

import chainvision


def test_using_config_restores_previous_value():
    assert chainvision.config.train is True
    with chainvision.using_config('train', False):
        assert chainvision.config.train is False
    assert chainvision.config.train is True


def test_config_is_thread_local():
    seen = []
    with chainvision.using_config('train', False):
        thread = threading.Thread(target=lambda: seen.append(chainvision.config.train))
        thread.start()
        thread.join()
    assert seen == [True]


def test_enable_backprop_is_torch_grad_mode():
    x = torch.ones(2, requires_grad=True)
    with chainvision.no_backprop_mode():
        assert chainvision.config.enable_backprop is False
        assert not (x * 2).requires_grad
        with chainvision.force_backprop_mode():
            assert (x * 2).requires_grad
    assert chainvision.config.enable_backprop is True


def test_is_train_needs_config_and_module_mode():
    module = torch.nn.Linear(1, 1)
    assert chainvision.is_train(module)
    module.eval()
    assert not chainvision.is_train(module)
    module.train()
    with chainvision.using_config('train', False):
        assert not chainvision.is_train(module)
