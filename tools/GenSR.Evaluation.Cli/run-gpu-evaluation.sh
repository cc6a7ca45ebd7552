#!/usr/bin/env bash
# Runs GenSR on the two shared datasets on a CUDA machine without a .NET SDK (the device tool), one harness process per
# (dataset, system) under its own time limit, and packs every report into $OUT/reports.tar.gz (+ $OUT/log.txt).
# Prepare from the repository root on the development machine:
#   ../shared/gpu/pack.sh tools/GenSR.Evaluation.Cli/GenSR.Evaluation.Cli.csproj
#   mkdir -p .gpu/data && cp -r ../shared/datasets/amazon-scientific ../shared/datasets/ml-100k .gpu/data/   # transient, git-ignored
#   cp tools/GenSR.Evaluation.Cli/run-gpu-evaluation.sh tools/GenSR.Evaluation.Cli/gpu-run-common.sh .gpu/
# then on the GPU machine, from the repository root: bash .gpu/run-gpu-evaluation.sh
set -uo pipefail
GENSR_GPU_OUT_NAME=gpu-evaluation
source "$(dirname "$0")/gpu-run-common.sh"
data=$PWD/.gpu/data
# Fused GenSR (exact generative likelihood + w * dense head) on both datasets, 3 seeds, both protocols. GENSR_GPU_MINUTES
# is each model's training budget in minutes (default 1.5); the limits below leave room for preparation and ranking.
minutes=${GENSR_GPU_MINUTES:-1.5}
run scientific-gensr-fused 330 --data "$data/amazon-scientific" --format amazon --systems gensr-fused --seeds 3 --max-minutes "$minutes"
run ml-100k-gensr-fused 240 --data "$data/ml-100k" --format movielens --systems gensr-fused --seeds 3 --max-minutes "$minutes"
rm -rf "$out/reports"
