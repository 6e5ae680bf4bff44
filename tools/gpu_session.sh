#!/usr/bin/env bash
# The GPU checks of issues 9 (speed) and 10 (reproduction), prepared for a session lent a GPU
# through the device tool: 15 minutes of device time in all, at most 10 per command, at most
# 64 MiB of tree per call, and ../shared does not travel.
#
# Here, on the development machine, once (nothing here needs the GPU):
#   bash tools/gpu_session.sh stage        # CIFAR-10 in three parts under .device_data/
#   airbench94_muon.py into third_party/airbench/ (the search tool's fetch of
#   github:KellerJordan/cifar10-airbench; third_party/ is git-ignored and never committed)
# Then three back-to-back device calls (the machine keeps its files while warm, 30 s):
#   command 'bash tools/gpu_session.sh unpack part1'            carry ['.device_data/part1']
#   command 'bash tools/gpu_session.sh unpack part2'            carry ['.device_data/part2']
#   command 'bash tools/gpu_session.sh unpack part3 && bash tools/gpu_session.sh check'
#                                        carry ['.device_data/part3', 'third_party/airbench']
# with timeout_s 590 on the last.  `check` runs the steps in the issues' order, each under its own
# time limit so that the later ones still run, and writes every log to $OUT (logs come back).
# `bash tools/gpu_session.sh check --smoke` runs the same steps on this CPU at a tiny size, to
# catch a broken step before device time is spent on it (with a python3 that has torchvision
# first on PATH, e.g. the benchmark venv's, as the GPU image has; the runs go under
# $DEVICE_DATA_ROOT, default /root/chainvision-data).
set -uo pipefail
cd "$(dirname "$0")/.."

DATA=${DEVICE_DATA_ROOT:-/root/chainvision-data}
OUT=${OUT:-/tmp/gpu-session-out}
PARTS=(part1 part2 part3)
# Two files of ~29 MiB per part keep each call under the 64 MiB limit with the tree.
declare -A FILES=([part1]='data_batch_1 data_batch_2'
                  [part2]='data_batch_3 data_batch_4'
                  [part3]='data_batch_5 test_batch batches.meta')

stage() {
    local source=${CHAINVISION_DATASET_ROOT:-../shared/data}/cifar10/cifar-10-batches-py
    for part in "${PARTS[@]}"; do
        mkdir -p ".device_data/$part"
        for name in ${FILES[$part]}; do cp "$source/$name" ".device_data/$part/"; done
        du -sh ".device_data/$part"
    done
}

unpack() {
    mkdir -p "$DATA/cifar10/cifar-10-batches-py"
    cp ".device_data/$1"/* "$DATA/cifar10/cifar-10-batches-py/"
    ls -l "$DATA/cifar10/cifar-10-batches-py"
}

# step NAME SECONDS COMMAND...: run COMMAND under a time limit, its output appended to
# $OUT/steps.log (a call brings back at most 8 files) and its end shown.
step() {
    local name=$1 limit=$2
    shift 2
    echo "== $name (limit ${limit} s) $(date +%T)" | tee -a "$OUT/steps.log"
    timeout --kill-after=10 "$limit" "$@" > "$OUT/step.log" 2>&1
    local status=$?
    cat "$OUT/step.log" >> "$OUT/steps.log"
    tail -n 20 "$OUT/step.log"
    rm "$OUT/step.log"
    echo "== $name: exit $status $(date +%T)" | tee -a "$OUT/steps.log"
}

# airbench94_muon as published, with 10 runs instead of 200, on the same CIFAR-10 files.
airbench() {
    local work=$DATA/airbench
    mkdir -p "$work"
    ln -sfn "$DATA/cifar10" "$work/cifar10"
    sed 's/for run in range(200)/for run in range(10)/' third_party/airbench/airbench94_muon.py \
        > "$work/airbench94_muon_10.py"
    (cd "$work" && python3 airbench94_muon_10.py)
}

check() {
    local smoke=${1:-}
    mkdir -p "$OUT"
    export PYTHONPATH=$PWD/src:$PWD/benchmarks${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
    export CHAINVISION_DATASET_ROOT=${CHAINVISION_DATASET_ROOT:-$DATA}
    local cv='python3 -m chainvision.cli.main' device=cuda seeds=10 he_seeds=3 budget=1 iters=50
    local jobs=12
    if [ "$smoke" = --smoke ]; then
        device=cpu seeds=1 he_seeds=1 budget=0.002 iters=2 jobs=2
    fi
    { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1
      python3 -c 'import torch; print(torch.__version__, torch.cuda.is_available())'
    } | tee "$OUT/steps.log"
    # Issue 10 first: the speedrun recipe beside airbench94_muon on the same GPU.
    [ "$smoke" = --smoke ] || step airbench94_muon 150 airbench
    step speedrun 160 $cv reproduce speedrun-cifar10 --seeds $seeds --budget $budget \
        --device $device --out "$DATA/runs/speedrun-cifar10" --no-progress
    # Issue 9: the CUDA tests, then the speed benchmarks.
    step gpu_tests 50 python3 -m pytest -q -m gpu tests
    step train_speed 50 python3 benchmarks/train_speed.py --workload resnet20 --rounds 3 \
        --iterations $iters --device $device
    step infer_throughput 30 python3 benchmarks/infer_throughput.py --rounds 3 --iterations 10 \
        --device $device
    step api_overhead 30 python3 benchmarks/api_overhead.py --rounds 3 --iterations $iters \
        --device $device
    # Then as much of the he2016 table as fits (its runs' logs say how far each got): 12 runs at
    # once fill the GPU.
    step he2016 "${HE2016_SECONDS:-60}" $cv reproduce he2016-cifar --seeds $he_seeds \
        --budget $budget --jobs $jobs --device $device --out "$DATA/runs/he2016-cifar" --no-progress
    cp "$DATA/runs/speedrun-cifar10/results.md" "$OUT/speedrun-results.md" 2>/dev/null
    cp "$DATA/runs/he2016-cifar/results.md" "$OUT/he2016-results.md" 2>/dev/null
}

case ${1:-} in
    stage) stage ;;
    unpack) unpack "$2" ;;
    check) check "${2:-}" ;;
    *) echo "usage: $0 stage | unpack PART | check [--smoke]" >&2; exit 2 ;;
esac
