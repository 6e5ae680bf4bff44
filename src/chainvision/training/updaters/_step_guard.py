"""Keeping a non-finite loss out of the weights without reading the loss
back from the device: each step is taken, then undone on the device if a
loss so far was not finite, and the host reads the verdict only when it
asks for it."""

from typing import Any, Dict, List, Optional, Tuple

import torch


class StepGuard:
    """Undoes, on the device, every step from the first non-finite loss on,
    and keeps that iteration and loss until :meth:`verdict` reads them back
    (its only host-device synchronisation).

    Each guarded iteration is::

        guard.save()                    # before the forward pass
        loss = ...; guard.observe(loss, iteration)
        loss.backward(); optimizer.update()
        guard.restore()                 # model = all losses finite ? new : saved

    The guarded tensors are the model's parameters and floating buffers
    (BatchNorm's running statistics change in the forward pass).  Without
    ``optimizer`` its state is not guarded: once a loss is non-finite every
    later step is undone too, so whatever that state holds never reaches
    the weights (and a run stops at the next verdict).  Steps skipped with
    :meth:`restore`'s ``skip`` (fp16 gradients that overflowed) are
    followed by more steps, so there the optimizer's state tensors (momentum,
    Adam's moments) are guarded as well; its step counters ``t`` are host
    integers and count a skipped step (knowing would need a read-back), so
    Adam's bias correction counts it too.  A guarded iteration costs one
    multi-tensor copy, one ``torch.where`` per tensor and three scalar
    operations, all queued on the device.

    Args:
        target (torch.nn.Module): the model the optimizer updates.
        optimizer: a chainvision optimizer whose state tensors (in its
            ``torch_optimizer.state``) are guarded too, or ``None``.
    """

    def __init__(self, target: torch.nn.Module, optimizer: Any = None):
        self.target = target
        self.optimizer = optimizer
        self._tensors: List[torch.Tensor] = []
        self._saved: List[torch.Tensor] = []
        # The optimizer's state tensors as last saved, by (parameter, name),
        # and their copies.
        self._state: Dict[Tuple[int, str], torch.Tensor] = {}
        self._state_saved: Dict[Tuple[int, str], torch.Tensor] = {}
        self._ok: Optional[torch.Tensor] = None          # bool: every loss so far finite
        self._bad_iteration: Optional[torch.Tensor] = None
        self._bad_loss: Optional[torch.Tensor] = None

    def save(self) -> None:
        """Copy the guarded tensors (before the forward pass)."""
        if not self._tensors:
            self._collect()
        with torch.no_grad():
            torch._foreach_copy_(self._saved, self._tensors)
            if self.optimizer is not None:
                self._save_state()

    def _save_state(self):
        state = _state_tensors(self.optimizer)
        # New copies where the optimizer made or moved a state tensor.
        self._state_saved = {key: (self._state_saved[key] if self._state.get(key) is tensor
                                   else torch.empty_like(tensor))
                             for key, tensor in state.items()}
        self._state = state
        if state:
            torch._foreach_copy_(list(self._state_saved.values()), list(state.values()))

    def _collect(self):
        # Once, and again while parameters are still lazy (they take their
        # shapes in the first forward pass).
        tensors = list(self.target.parameters()) + [
            b for b in self.target.buffers() if b.is_floating_point()]
        if any(isinstance(t, torch.nn.parameter.UninitializedParameter) for t in tensors):
            tensors = []
        self._tensors = tensors
        self._saved = [torch.empty_like(t) for t in tensors]

    def observe(self, loss: torch.Tensor, iteration: int) -> None:
        """Fold the 0-dim ``loss`` of ``iteration`` into the verdict."""
        loss = loss.detach()
        if self._ok is None:
            self._ok = torch.ones((), dtype=torch.bool, device=loss.device)
            self._bad_iteration = torch.zeros((), dtype=torch.int64, device=loss.device)
            self._bad_loss = torch.zeros((), dtype=torch.float32, device=loss.device)
        finite = torch.isfinite(loss)
        first_bad = self._ok & ~finite
        self._bad_iteration = torch.where(first_bad, iteration, self._bad_iteration)
        self._bad_loss = torch.where(first_bad, loss.float(), self._bad_loss)
        self._ok = self._ok & finite

    def restore(self, skip: Optional[torch.Tensor] = None) -> None:
        """Put the saved tensors back if a loss so far was non-finite, or
        where ``skip`` (a 0-dim bool tensor: an fp16 step whose gradients
        overflowed) holds."""
        keep = self._ok if skip is None else self._ok & ~skip
        with torch.no_grad():
            for tensor, saved in zip(self._tensors, self._saved):
                torch.where(keep, tensor, saved, out=tensor)
            if self.optimizer is not None:
                self._restore_state(keep)

    def _restore_state(self, keep):
        for key, tensor in _state_tensors(self.optimizer).items():
            saved = self._state_saved.get(key)
            if saved is None:
                # Made in this step: the optimizer starts its state at zero.
                torch.where(keep, tensor, tensor.new_zeros(()), out=tensor)
            else:
                # Moved to the parameter's device in this step (after loading).
                torch.where(keep, tensor, saved.to(tensor), out=tensor)

    def verdict(self) -> Optional[Tuple[int, float]]:
        """``None`` while every observed loss is finite, else ``(iteration,
        loss)`` of the first one that was not.  Reads the flag back from
        the device."""
        if self._ok is None or bool(self._ok):
            return None
        return int(self._bad_iteration), float(self._bad_loss)


def _state_tensors(optimizer) -> Dict[Tuple[int, str], torch.Tensor]:
    """The floating state tensors of a chainvision optimizer, by
    (parameter, name)."""
    torch_optimizer = getattr(optimizer, 'torch_optimizer', None)
    if torch_optimizer is None:
        return {}
    return {(id(param), name): value
            for param, state in torch_optimizer.state.items()
            for name, value in state.items()
            if isinstance(value, torch.Tensor) and value.is_floating_point()}
