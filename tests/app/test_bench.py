"""What ``chainvision bench`` and the benchmarks measure and print: the
table's ratios and GEMM fractions, the host reads, fit's timed steps."""

import math

import pytest
import torch

from chainvision.app import bench
from chainvision.cli.main import main


def test_the_table_gives_each_row_its_ratio_to_each_peer_and_its_gemm_fraction():
    rows = [bench.Row('ours', 300., 'bf16'), bench.Row('plain fp32', 100., peer=True),
            bench.Row('plain bf16', 200., 'bf16', peer=True)]
    table = bench.format_table('title', rows, flops_per_image=1e9,
                               rates={'fp32': 200e9, 'bf16': 400e9}).splitlines()
    assert table[:2] == ['title', 'GEMM rate here (square matmul): fp32 200.0 GFLOP/s, '
                                  'bf16 400.0 GFLOP/s']
    # 300 img/s x 1 GFLOP = 300 GFLOP/s = 75% of the bf16 rate; 3x and 1.5x the peers.
    assert table[3].split() == ['ours', '300.0', '3.00', '1.50', '75.0%']
    assert table[4].split() == ['plain', 'fp32', '100.0', '1.00', '0.50', '50.0%']
    assert table[6:] == ['peer 1: plain fp32', 'peer 2: plain bf16']


def test_the_table_gives_the_gain_bf16_can_bring_at_most_from_the_convolution_rates():
    table = bench.format_table('title', [bench.Row('plain fp32', 100., peer=True)], 1e9,
                               {'fp32': 200e9, 'bf16': 400e9},
                               convolution_rates={'fp32': 500e9, 'bf16': 950e9}).splitlines()
    assert table[2] == ('3x3 convolution rate here (128 channels, 28x28): fp32 500.0 GFLOP/s, '
                        'bf16 950.0 GFLOP/s; bf16 can gain at most 1.90x over fp32 on this '
                        'machine')


def test_the_convolution_rate_counts_two_flops_per_multiply_add(monkeypatch):
    # One timed call of 0.5 s: 2 * 32 * 28 * 28 * 128 * 128 * 9 FLOP in it.
    monkeypatch.setattr(bench, '_best_seconds', lambda run, device, seconds: 0.5)
    flops = 2 * 32 * 28 * 28 * 128 * 128 * 9
    assert bench.conv_rate(torch.float32, torch.device('cpu')) == flops / 0.5


def test_host_reads_counts_what_brings_a_value_to_the_host():
    x = torch.randn(4)
    with bench.HostReads() as reads:
        y = (x * 2).sum() + 1
        assert reads.count == 0
        float(y)
        bool(y > 0)
        y.item()
    assert reads.count == 3


def test_the_gemm_rate_is_two_n_cubed_flops_per_product():
    rate = bench.gemm_rate(torch.float32, torch.device('cpu'), size=64, seconds=0.01)
    assert 1e6 < rate < 1e14


def test_fit_round_times_fits_steps_and_the_loop_between_them():
    data = {'train': bench.synthetic_data((1, 28, 28), 16 * 8)}
    steps = bench.fit_round('lenet5', data, iterations=4, batch_size=16, device='cpu',
                            val_split=0, threads=1)
    assert steps.images_per_s > 0 and steps.step_seconds > 0
    assert 0 < steps.quiet_overhead < 1 or math.isnan(steps.quiet_overhead)
    assert steps.config['batch_size'] == 16 and steps.config['iterations'] == 7   # 3 warm-up


def test_host_reads_per_quiet_step_of_fit_is_zero():
    data = {'train': bench.synthetic_data((1, 28, 28), 16 * 8)}
    assert bench.host_reads_per_quiet_step('lenet5', data, iterations=5, batch_size=16,
                                           device='cpu', val_split=0, threads=1) == 0


@pytest.mark.parametrize('argv, expected', [
    (['bench', 'resnet20'], ('train', 'resnet20', 128, 20, 3, 'auto')),
    (['bench', 'resnet50', '--infer', '--batch-size', '8', '--rounds', '2', '--device', 'cpu'],
     ('infer', 'resnet50', 8, 20, 2, 'cpu')),
])
def test_bench_prints_the_table_of_the_chosen_measurement(monkeypatch, capsys, argv, expected):
    for mode in ('train', 'infer'):
        monkeypatch.setattr(bench, 'bench_' + mode,
                            lambda *args, mode=mode: 'table of {} {}'.format(mode, args))
    assert main(argv) == 0
    mode, *args = expected
    assert capsys.readouterr().out == 'table of {} {}\n'.format(mode, tuple(args))


def test_fast_form_difference_is_relative_to_the_largest_plain_logit():
    from chainvision import models
    torch.manual_seed(0)
    network = models.create('lenet5')
    x = torch.randn(4, 1, 28, 28)
    assert bench.fast_form_difference(network, x, 'fp32') <= 1e-5
    # bf16 keeps 8 bits of mantissa: a difference of the order of 2^-8.
    assert 1e-4 < bench.fast_form_difference(network, x, 'bf16') < 0.05


def test_the_predict_row_is_measured_against_the_gemm_rate_of_its_precision(monkeypatch):
    captured = {}

    def table(title, rows, flops_per_image, rates, notes=(), convolution_rates=None):
        captured.update(rows=rows, notes=notes)
        return 'table'
    monkeypatch.setattr(bench, 'format_table', table)
    monkeypatch.setattr(bench, 'gemm_rates', lambda device: {'fp32': 1e9, 'bf16': 4e9})
    monkeypatch.setattr(bench, 'conv_rates', lambda device: {'fp32': 2e9, 'bf16': 4e9})
    monkeypatch.setattr(bench.backend, 'native_precision', lambda device: 'bf16')
    assert bench.bench_infer('lenet5', batch_size=2, iterations=1, rounds=1,
                             device='cpu') == 'table'
    assert [(row.name, row.precision) for row in captured['rows']] == [
        ('chainvision model.predict, bf16 NHWC', 'bf16'),
        ('plain PyTorch eval forward, fp32 NCHW', 'fp32'),
        ('plain PyTorch eval forward, fp32 NHWC', 'fp32')]
    [note] = captured['notes']
    assert note.startswith("model.predict: its logits differ from the plain fp32 forward's by "
                           'at most ')
    assert 1e-4 < float(note.split('at most ')[1].split()[0]) < 0.05    # bf16, not fp32
