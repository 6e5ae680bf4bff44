"""What the momentum methods share: ``lr``, ``momentum`` and the velocity."""

from chainvision import optimizer


class MomentumMethod(optimizer.GradientMethod):
    """A gradient method with a learning rate, a momentum coefficient and a
    velocity ``v`` per parameter (its only state)."""

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def state_names(self, hp):
        """The velocity ``v``."""
        return ('v',)
