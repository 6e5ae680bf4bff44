"""Chainer's optimizer API on ``torch.optim``: ``Optimizer``,
``GradientMethod``, ``UpdateRule``, ``Hyperparameter``.

A Chainer training loop runs unchanged::

    optimizer = chainvision.optimizers.MomentumSGD(lr=0.01).setup(model)
    optimizer.add_hook(chainvision.optimizer_hooks.WeightDecay(1e-4))
    optimizer.update(model, x, t)       # cleargrads, loss, backward, step
    optimizer.lr *= 0.1                 # schedules change hyperparameters

``setup`` may be called before the first forward pass, while lazy
parameters (``L.Linear(None, 10)``) are still uninitialized: the parameters
are collected at every ``update``, so ones initialized later are picked up.

Each gradient method keeps its state in a ``torch.optim.Optimizer``
(:attr:`GradientMethod.torch_optimizer`) whose ``step`` applies Chainer's
update formula with PyTorch's multi-tensor (``torch._foreach_*``) kernels, one
kernel per operation for all parameters at once.  torch.optim's own classes
are not used because their formulas differ from Chainer's (momentum under a
changing learning rate, Adam's ``eps`` placement, Nesterov's form).

Deliberate differences from Chainer:

- Per-parameter hooks and hyperparameters (``param.update_rule``) are
  supported, but the update of all parameters sharing the same
  hyperparameters happens in one batched step, so per-rule hooks all run
  before (or after) that step rather than interleaved parameter by
  parameter.
- Parameters that have no ``update_rule`` when first seen by ``update`` get
  one (Chainer leaves parameters added after ``setup`` untouched).
- A parameter with ``requires_grad=False`` (``Link.disable_update``) is not
  updated, like a Chainer parameter whose rule is disabled.
- fp16 master copies (``use_fp32_update``) and loss scaling are not
  provided; use ``torch.autocast`` for mixed precision.
"""

import collections
import warnings

import torch

from chainvision import serializer as serializer_module
from chainvision.link import is_initialized, named_params
# Chainer keeps its hooks' first home, ``chainer.optimizer.WeightDecay`` and
# the like, for code older than ``chainer.optimizer_hooks``.
from chainvision.optimizer_hooks import (  # noqa: F401
    GradientClipping, GradientHardClipping, GradientNoise, Lasso, WeightDecay)


class Hyperparameter:
    """A set of hyperparameters whose unset entries fall back to a parent.

    Every gradient method has one (``optimizer.hyperparam``); each
    parameter's :class:`UpdateRule` has a child of it, so setting
    ``param.update_rule.hyperparam.lr`` overrides the learning rate of that
    parameter alone.

    Args:
        parent (Hyperparameter or None): where unset entries are read from.
    """

    def __init__(self, parent=None):
        self._parent = parent

    def __getattr__(self, name):
        if '_parent' not in self.__dict__ or self._parent is None:
            raise AttributeError('hyperparameter {!r} is not set'.format(name))
        return getattr(self._parent, name)

    def __repr__(self):
        items = sorted(self.get_dict().items())
        return 'Hyperparameter({})'.format(', '.join('{}={}'.format(k, v) for k, v in items))

    @property
    def parent(self):
        """The parent :class:`Hyperparameter` (or ``None``)."""
        return self._parent

    def get_dict(self):
        """All entries, the parent's overridden by this object's own."""
        entries = {} if self._parent is None else self._parent.get_dict()
        entries.update(self.own_dict())
        return entries

    def own_dict(self):
        """Only the entries set on this object (not inherited)."""
        return {k: v for k, v in self.__dict__.items() if k != '_parent'}


class HyperparameterProxy:
    """Class attribute that aliases ``self.hyperparam.<attr_name>``
    (so ``optimizer.lr`` reads and writes ``optimizer.hyperparam.lr``)."""

    def __init__(self, attr_name):
        self._attr_name = attr_name
        self.__doc__ = 'Alias to ``self.hyperparam.{}``.'.format(attr_name)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj.hyperparam, self._attr_name)

    def __set__(self, obj, value):
        setattr(obj.hyperparam, self._attr_name, value)


class _Hookable:
    """Ordered 'pre' and 'post' hooks, registered by name (Chainer's rules)."""

    def __init__(self):
        self.pre = collections.OrderedDict()
        self.post = collections.OrderedDict()

    def add(self, hook, name, timing):
        if not callable(hook):
            raise TypeError('a hook must be callable, got {!r}'.format(hook))
        if timing not in ('pre', 'post', 'auto'):
            raise ValueError("timing must be 'pre', 'post' or 'auto', got {!r}".format(timing))
        if timing == 'auto':
            timing = getattr(hook, 'timing', 'pre')
            if timing not in ('pre', 'post'):
                warnings.warn("Hook timing attribute not in ('pre', 'post'); using 'pre'.")
                timing = 'pre'
        if name is None:
            name = getattr(hook, 'name', None) or getattr(hook, '__name__', None)
            if name is None:
                raise ValueError('the hook has no name: pass name=...')
        if name in self.pre or name in self.post:
            raise KeyError('hook "{}" already exists'.format(name))
        (self.pre if timing == 'pre' else self.post)[name] = hook

    def remove(self, name):
        if name in self.pre:
            del self.pre[name]
        elif name in self.post:
            del self.post[name]
        else:
            raise KeyError('no hook named "{}"'.format(name))

    def get(self, timing):
        if timing not in ('pre', 'post'):
            raise ValueError("timing must be 'pre' or 'post', got {!r}".format(timing))
        return self.pre if timing == 'pre' else self.post


class UpdateRule:
    """How one parameter is updated: Chainer's ``UpdateRule``, attached to
    each parameter as ``param.update_rule`` by :meth:`GradientMethod.setup`.

    Attributes:
        enabled (bool): ``False`` skips this parameter in updates.
        hyperparam (Hyperparameter): this parameter's hyperparameters; unset
            entries come from the optimizer's.
        t (int): number of updates applied to this parameter.
        state (dict or None): the optimizer state of this parameter (e.g.
            ``{'v': tensor}`` for MomentumSGD), ``None`` before the first
            update.
    """

    def __init__(self, optimizer):
        self.enabled = True
        self.hyperparam = Hyperparameter(optimizer.hyperparam)
        self.t = 0
        self._optimizer = optimizer
        self._hookable = _Hookable()

    @property
    def state(self):
        """This parameter's state tensors by Chainer's names, or ``None``."""
        states = self._optimizer.torch_optimizer.state
        for param in self._optimizer._all_params():
            if getattr(param, 'update_rule', None) is self:
                return states.get(param) or None
        return None

    def add_hook(self, hook, name=None, timing='auto'):
        """Add ``hook(rule, param)``, called for this parameter before
        (``'pre'``) or after (``'post'``) each update; ``'auto'`` reads the
        hook's ``timing`` attribute (default ``'pre'``)."""
        self._hookable.add(hook, name, timing)

    def remove_hook(self, name):
        """Remove the hook registered as ``name``."""
        self._hookable.remove(name)


class Optimizer:
    """Base class of optimizers: holds the target link, the update count
    :attr:`t`, the :attr:`epoch` count and the hooks.

    Attributes:
        target (torch.nn.Module): the link being optimized (set by
            :meth:`setup`).
        t (int): number of updates done.
        epoch (int): number of :meth:`new_epoch` calls.
        use_auto_new_epoch (bool): set by an updater that calls
            ``new_epoch(auto=True)`` itself.
    """

    target = None
    t = 0
    epoch = 0
    use_auto_new_epoch = False
    _hookable = None

    def setup(self, link):
        """Set the target link (any ``torch.nn.Module``), resetting ``t``,
        ``epoch`` and the hooks.  Returns ``self``."""
        if not isinstance(link, torch.nn.Module):
            raise TypeError('optimization target must be a Link (a torch.nn.Module), got {}'.format(
                type(link).__name__))
        self.target = link
        self.t = 0
        self.epoch = 0
        self._hookable = _Hookable()
        return self

    def update(self, lossfun=None, *args, **kwds):
        """Update the parameters (see :meth:`GradientMethod.update`)."""
        raise NotImplementedError('{} must implement update()'.format(type(self).__name__))

    def new_epoch(self, auto=False):
        """Count a new epoch.  ``auto=True`` is for updaters, which must set
        :attr:`use_auto_new_epoch`; calling it by hand as well is an error."""
        if auto and not self.use_auto_new_epoch:
            raise RuntimeError('invalid new_epoch call with auto=True: the updater must set '
                               'optimizer.use_auto_new_epoch = True.')
        if not auto and self.use_auto_new_epoch:
            raise RuntimeError('duplicated new_epoch with the updater: pass auto_new_epoch=False '
                               'to the updater or stop calling new_epoch outside it.')
        self.epoch += 1

    def _check_set_up(self):
        if self._hookable is None:
            raise RuntimeError('Optimizer is not set up. Call `setup` method.')

    def add_hook(self, hook, name=None, timing='auto'):
        """Register a hook.

        ``hook(optimizer)`` is called once per update; a hook with
        ``call_for_each_param = True`` is called as ``hook(rule, param)`` for
        every parameter.  ``timing``: ``'pre'`` (before the update, after the
        gradients exist), ``'post'``, or ``'auto'`` (the hook's ``timing``
        attribute, default ``'pre'``).  ``name`` defaults to ``hook.name``.
        """
        self._check_set_up()
        self._hookable.add(hook, name, timing)

    def remove_hook(self, name):
        """Remove the hook registered as ``name``."""
        self._check_set_up()
        self._hookable.remove(name)

    def call_hooks(self, timing='pre'):
        """Call the hooks of ``timing`` in registration order."""
        self._check_set_up()
        for hook in list(self._hookable.get(timing).values()):
            self.call_hook(hook)

    def call_hook(self, hook):
        """Call one hook (per parameter if ``hook.call_for_each_param``; a
        per-parameter hook with a ``call_for_params(params)`` method, such
        as ``WeightDecay``, takes them all in one call, with multi-tensor
        operations)."""
        if getattr(hook, 'call_for_each_param', False):
            params = [p for p in self._all_params() if is_initialized(p)]
            call_for_params = getattr(hook, 'call_for_params', None)
            if call_for_params is not None:
                call_for_params(params)
                return
            for param in params:
                hook(getattr(param, 'update_rule', None), param)
        else:
            hook(self)

    def _all_params(self):
        return list(self.target.parameters())

    def serialize(self, serializer):
        """Save or load ``t`` and ``epoch`` (subclasses add their state).
        The target's parameters are not included: serialize the link too."""
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)


class _ForeachOptimizer(torch.optim.Optimizer):
    """A ``torch.optim.Optimizer`` whose ``step`` applies one Chainer update
    formula to every parameter group with multi-tensor kernels.

    Args:
        state_names (callable): ``state_names(group)``, the names of the
            per-parameter state tensors (created as zeros when missing).
        apply (callable): ``apply(group, params, grads, states)``, where
            ``states`` maps each state name to the list of that state's
            tensors (one per parameter).

    Hyperparameters and the update count ``t`` live in the group
    dictionaries, written by :class:`GradientMethod` before each step.
    """

    def __init__(self, state_names, apply):
        super().__init__([{'params': []}], {})
        self._state_names = state_names
        self._apply = apply

    @torch.no_grad()
    def step(self, closure=None):
        """Apply the update to every parameter that has a gradient."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            params = [p for p in group['params'] if p.grad is not None]
            if not params:
                continue
            names = self._state_names(group)
            states = {name: [] for name in names}
            for param in params:
                state = self.state[param]
                for name in names:
                    value = state.get(name)
                    if value is None or (value.device, value.dtype, value.shape) != (
                            param.device, param.dtype, param.shape):
                        value = _state_like(value, param)
                        state[name] = value
                    states[name].append(value)
            self._apply(group, params, [p.grad for p in params], states)
        return loss


def _state_like(value, param):
    if value is None:
        return torch.zeros_like(param, memory_format=torch.preserve_format)
    if value.shape != param.shape:
        raise ValueError('optimizer state of shape {} does not fit a parameter of shape {}'.format(
            tuple(value.shape), tuple(param.shape)))
    return value.to(device=param.device, dtype=param.dtype)


class GradientMethod(Optimizer):
    """Base class of the single-gradient optimizers (Chainer's
    ``GradientMethod``).

    Subclasses define their hyperparameters in ``__init__`` (on
    :attr:`hyperparam`, with :class:`HyperparameterProxy` aliases),
    ``state_names(hp)`` (the names of the per-parameter state tensors, as in
    Chainer's files) and ``apply(hp, params, grads, states)`` (the batched
    update).

    Attributes:
        hyperparam (Hyperparameter): the default hyperparameters of all
            parameters.
        torch_optimizer (torch.optim.Optimizer): holds the per-parameter
            state; its ``step`` performs the update (without hooks).
    """

    def __init__(self):
        self.hyperparam = Hyperparameter()
        self.torch_optimizer = _ForeachOptimizer(self._group_state_names, self._group_apply)
        self._partition = None

    def setup(self, link):
        """Set the target and give every parameter an :class:`UpdateRule`;
        existing state is discarded.  Returns ``self``."""
        super().setup(link)
        for param in link.parameters():
            param.update_rule = self.create_update_rule()
        self.torch_optimizer.state.clear()
        self._partition = None
        return self

    def create_update_rule(self):
        """Return a new :class:`UpdateRule` for one parameter."""
        return UpdateRule(self)

    def state_names(self, hp):
        """Names of the per-parameter state tensors under hyperparameters
        ``hp`` (a dict)."""
        raise NotImplementedError

    def apply(self, hp, params, grads, states):
        """Update ``params`` in place from ``grads`` (lists of tensors) and
        ``states`` (state name -> list of tensors) under ``hp`` (a dict with
        the hyperparameters and the update count ``t``)."""
        raise NotImplementedError

    def _group_state_names(self, group):
        return self.state_names(group)

    def _group_apply(self, group, params, grads, states):
        self.apply(group, params, grads, states)

    def _rule(self, param):
        rule = getattr(param, 'update_rule', None)
        if rule is None:
            rule = param.update_rule = self.create_update_rule()
        return rule

    def _updatable_params(self):
        return [p for p in self.target.parameters()
                if p.requires_grad and is_initialized(p) and self._rule(p).enabled]

    def update(self, lossfun=None, *args, **kwds):
        """Update the parameters.

        With ``lossfun``: ``loss = lossfun(*args, **kwds)``, clear the
        gradients, ``loss.backward()``, then update.  Without: update from
        the gradients already computed (after your own ``backward``).

        As in Chainer, a trainable parameter without a gradient is updated
        with a zero gradient (its momentum or weight decay still apply); the
        order is: pre-hooks, ``t += 1``, the update, post-hooks.
        """
        self._check_set_up()
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            for param in self.target.parameters():
                param.grad = None
            loss.backward()
            del loss
        params = self._updatable_params()
        self._fill_missing_grads(params)
        self.call_hooks('pre')
        self._call_rule_hooks(params, 'pre')
        self.t += 1
        for param in params:
            param.update_rule.t += 1
        self._write_groups(params)
        self.torch_optimizer.step()
        self._call_rule_hooks(params, 'post')
        self.call_hooks('post')

    def call_hook(self, hook):
        """Call one hook, then zero-fill gradients it cleared (Chainer)."""
        super().call_hook(hook)
        self._fill_missing_grads(self._updatable_params())

    @staticmethod
    def _fill_missing_grads(params):
        for param in params:
            if param.grad is None:
                param.grad = torch.zeros_like(param)

    @staticmethod
    def _call_rule_hooks(params, timing):
        for param in params:
            for hook in list(param.update_rule._hookable.get(timing).values()):
                hook(param.update_rule, param)

    def _write_groups(self, params):
        """Give ``torch_optimizer`` one group per distinct set of
        per-parameter overrides, with the current hyperparameters."""
        keys = []
        for param in params:
            rule = param.update_rule
            keys.append((tuple(sorted(rule.hyperparam.own_dict().items())), self.t - rule.t))
        partition = [(id(p), key) for p, key in zip(params, keys)]
        if partition != self._partition:
            groups = collections.OrderedDict()
            for param, key in zip(params, keys):
                groups.setdefault(key, []).append(param)
            self.torch_optimizer.param_groups = [
                {'params': members, '_key': key} for key, members in groups.items()]
            self._partition = partition
        defaults = self.hyperparam.get_dict()
        for group in self.torch_optimizer.param_groups:
            overrides, lag = group['_key']
            group.update(defaults)
            group.update(overrides)
            group['t'] = self.t - lag

    def serialize(self, serializer):
        """Save or load ``t``, ``epoch`` and every parameter's rule in
        Chainer's layout: ``<param path>/t`` and ``<param path>/<state
        name>`` (e.g. ``predictor/l1/W/v``)."""
        super().serialize(serializer)
        hp = self.hyperparam.get_dict()
        names = self.state_names(hp)
        for path, param in named_params(self.target):
            self._serialize_rule(serializer[path], param, names)

    def _serialize_rule(self, serializer, param, names):
        rule = self._rule(param)
        rule.t = serializer('t', rule.t)
        state = self.torch_optimizer.state
        if isinstance(serializer, serializer_module.Deserializer):
            loaded = {}
            for name in names:
                try:
                    value = serializer(name, None)
                except KeyError:
                    value = None
                if value is None:
                    state.pop(param, None)
                    return
                loaded[name] = torch.as_tensor(value)
            state[param] = loaded
        elif param in state and all(name in state[param] for name in names):
            for name in names:
                serializer(name, state[param][name])
