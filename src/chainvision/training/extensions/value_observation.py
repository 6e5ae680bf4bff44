"""Put a value (such as the learning rate) into the observation."""

from chainvision.training import extension


def observe_value(observation_key, target_func):
    """An extension that stores ``target_func(trainer)`` as
    ``observation[observation_key]`` (default once per epoch, before
    readers such as ``LogReport``)."""

    @extension.make_extension(trigger=(1, 'epoch'), priority=extension.PRIORITY_WRITER)
    def _observe_value(trainer):
        trainer.observation[observation_key] = target_func(trainer)

    return _observe_value


def observe_lr(optimizer_name='main', observation_key='lr'):
    """An extension that stores the optimizer's ``lr`` (for Adam, the
    effective ``alpha_t``) as ``observation['lr']``."""
    return observe_value(observation_key,
                         lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr)
