"""Trainer extensions with Chainer's names: ``trainer.extend(extensions.X(...))``."""

from chainvision.training.extensions._snapshot import snapshot, snapshot_object  # noqa: F401
from chainvision.training.extensions.computational_graph import DumpGraph  # noqa: F401
# Chainer's older, lower-case name of DumpGraph.
from chainvision.training.extensions.computational_graph import DumpGraph as dump_graph  # noqa: F401,E501
from chainvision.training.extensions.cosine_shift import CosineShift  # noqa: F401
from chainvision.training.extensions.evaluator import Evaluator  # noqa: F401
from chainvision.training.extensions.exponential_shift import ExponentialShift  # noqa: F401
from chainvision.training.extensions.fail_on_nonnumber import FailOnNonNumber  # noqa: F401
from chainvision.training.extensions.linear_shift import LinearShift  # noqa: F401
from chainvision.training.extensions.log_report import LogReport  # noqa: F401
from chainvision.training.extensions.lookahead import Lookahead  # noqa: F401
from chainvision.training.extensions.micro_average import MicroAverage  # noqa: F401
from chainvision.training.extensions.milestone_shift import MilestoneShift  # noqa: F401
from chainvision.training.extensions.multistep_shift import MultistepShift  # noqa: F401
from chainvision.training.extensions.one_cycle_shift import OneCycleShift  # noqa: F401
from chainvision.training.extensions.parameter_statistics import ParameterStatistics  # noqa: F401
from chainvision.training.extensions.plot_report import PlotReport  # noqa: F401
from chainvision.training.extensions.print_report import PrintReport  # noqa: F401
from chainvision.training.extensions.progress_bar import ProgressBar  # noqa: F401
from chainvision.training.extensions.step_shift import StepShift  # noqa: F401
from chainvision.training.extensions.value_observation import observe_lr, observe_value  # noqa: F401,E501
from chainvision.training.extensions.variable_unchain import unchain_variables  # noqa: F401
from chainvision.training.extensions.warmup_shift import WarmupShift  # noqa: F401
