"""Data-parallel training with PyTorch's own engine (``torch.distributed``).

``torchrun --nproc_per_node=N -m chainvision.cli.main train ...`` (or the
``chainvision`` script under torchrun) starts N processes; each one calls
:func:`init_from_environment`, which reads torchrun's ``RANK``/``WORLD_SIZE``
/``LOCAL_RANK`` and joins the process group: gloo on the CPU, NCCL on GPUs.

How a run is split:

- Every rank builds the same loader with the same seed, so all ranks see the
  same *global* batch (same order, same augmentation).  Each rank then takes
  its contiguous shard, ``batch[rank * B/N:(rank + 1) * B/N]``
  (:meth:`DistributedContext.shard`).
- The model is wrapped in ``DistributedDataParallel``, which averages the
  gradients over ranks.  Since each rank's loss is the mean over its shard,
  the averaged gradient is the gradient of the mean loss over the global
  batch: the same update as one process with the same global batch, up to
  float rounding.  (BatchNorm is the exception: each rank normalises with its
  own shard's statistics, so models with BatchNorm differ from one process
  unless converted with ``torch.nn.SyncBatchNorm``.)
- Reported training metrics are averaged over ranks (:meth:`all_reduce_mean`).
  Validation during training runs on rank 0 alone (the replicas are
  identical; the other ranks wait at their next gradient exchange); the
  final validation and test accuracies are counted by all ranks on their
  shards and summed.  Only rank 0 writes files (:attr:`DistributedContext.is_main`);
  on ``--resume`` every rank loads rank 0's snapshot.
- Ctrl-C reaches every rank at about the same moment, but ranks may finish
  different iterations before they look at it; stopping a multi-process
  run cleanly is left to killing it and resuming from the last snapshot.

Without torchrun, :func:`init_from_environment` returns a single-process
context whose methods do nothing, so the same code serves both.
"""

import datetime
import os

import torch
import torch.distributed as dist


class DistributedContext:
    """Where this process stands in a data-parallel run.

    Attributes:
        rank (int): this process's index, 0 <= rank < world_size.
        world_size (int): number of processes (1 without torchrun).
        local_rank (int): index on this machine (picks ``cuda:local_rank``).
    """

    def __init__(self, rank=0, world_size=1, local_rank=0):
        self.rank = rank
        self.world_size = world_size
        self.local_rank = local_rank

    @property
    def is_distributed(self):
        """Whether more than one process takes part."""
        return self.world_size > 1

    @property
    def is_main(self):
        """Whether this process writes files and prints (rank 0)."""
        return self.rank == 0

    def check_batch_size(self, batch_size):
        """Raise ``ValueError`` unless the global batch splits evenly."""
        if batch_size % self.world_size:
            raise ValueError(
                'The global batch size {} does not split evenly over {} processes; use a '
                'multiple of {}.'.format(batch_size, self.world_size, self.world_size))

    def shard(self, arrays):
        """This rank's contiguous slice of every array in the tuple
        ``arrays`` (each of leading size B, which must be a multiple of
        ``world_size``, except a last, smaller batch, which is split as
        evenly as ``torch.tensor_split`` does)."""
        if not self.is_distributed:
            return arrays
        return tuple(torch.tensor_split(a, self.world_size)[self.rank] for a in arrays)

    def wrap(self, model):
        """Wrap ``model`` in ``DistributedDataParallel`` (unchanged when not
        distributed).  Parameters must already be on their device."""
        if not self.is_distributed:
            return model
        device = model_device(model)
        device_ids = [device.index] if device.type == 'cuda' else None
        return torch.nn.parallel.DistributedDataParallel(model, device_ids=device_ids)

    def all_reduce_mean(self, values):
        """Average a dict of 0-dim tensors over ranks without reading them
        back to the host: returns a dict of 0-dim float32 tensors on their
        device (the values themselves when not distributed)."""
        keys = sorted(values)
        if not self.is_distributed or not keys:
            return dict(values)
        stacked = torch.stack([values[key].detach().float().reshape(()) for key in keys])
        self.all_reduce_sum(stacked)
        stacked /= self.world_size
        return dict(zip(keys, stacked.unbind()))

    def all_reduce_sum(self, tensor):
        """Sum a tensor over ranks in place and return it."""
        if self.is_distributed:
            moved = tensor.to(self._collective_device())
            dist.all_reduce(moved)
            tensor.copy_(moved)
        return tensor

    def barrier(self):
        """Wait for every rank (no-op when not distributed)."""
        if self.is_distributed:
            dist.barrier()

    def _collective_device(self):
        # NCCL only moves CUDA tensors; gloo moves CPU tensors.
        if dist.get_backend() == 'nccl':
            return torch.device('cuda', torch.cuda.current_device())
        return torch.device('cpu')


def rank_from_environment():
    """This process's rank as torchrun set it in ``RANK`` (0 without
    torchrun), known before the process group is joined."""
    return int(os.environ.get('RANK', '0'))


def init_from_environment(device):
    """Join the process group torchrun described in the environment.

    Args:
        device (torch.device): the device this process trains on; CUDA
            selects NCCL and ``cuda:LOCAL_RANK`` (each rank its own GPU,
            whatever index was given), anything else gloo.

    Returns:
        tuple ``(context, device)``: the :class:`DistributedContext` and
        the device this rank should use.
    """
    world_size = int(os.environ.get('WORLD_SIZE', '1'))
    if world_size <= 1:
        return DistributedContext(), device
    rank = rank_from_environment()
    local_rank = int(os.environ.get('LOCAL_RANK', rank))
    if device.type == 'cuda':
        device = torch.device('cuda', local_rank)
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        # Rank 0 alone evaluates and writes checkpoints while the others
        # wait in their next collective: an hour rather than NCCL's default
        # ten minutes, so that a long evaluation does not abort the run.
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo',
                                rank=rank, world_size=world_size,
                                timeout=datetime.timedelta(hours=1))
    return DistributedContext(rank, world_size, local_rank), device


def shutdown():
    """Leave the process group (safe to call when none was joined)."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def model_device(model):
    """The device of ``model``'s first parameter (CPU for a model without
    parameters)."""
    for param in model.parameters():
        return param.device
    return torch.device('cpu')
