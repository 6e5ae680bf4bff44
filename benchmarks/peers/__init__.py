"""The peers of the benchmarks: the same networks and training loops
written the way the PyTorch tutorials write them (``torch.nn``, a
``DataLoader`` of per-sample ``torchvision`` transforms, the plain loop).
They run in the benchmark environment (torch and torchvision), never in
chainvision's own dependencies."""
