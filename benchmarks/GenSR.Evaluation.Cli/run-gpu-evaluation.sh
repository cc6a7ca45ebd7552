#!/usr/bin/env bash
# Runs GenSR on the two shared datasets on a CUDA machine without a .NET SDK (the device tool), one harness process per
# (dataset, system) under its own time limit, and packs every report into $OUT/reports.tar.gz (+ $OUT/log.txt).
# Prepare from the repository root on the development machine:
#   ../shared/gpu/pack.sh benchmarks/GenSR.Evaluation.Cli/GenSR.Evaluation.Cli.csproj
#   mkdir -p .gpu/data && cp -r ../shared/datasets/amazon-scientific ../shared/datasets/ml-100k .gpu/data/   # transient, git-ignored
#   cp benchmarks/GenSR.Evaluation.Cli/run-gpu-evaluation.sh .gpu/
# then on the GPU machine, from the repository root: bash .gpu/run-gpu-evaluation.sh
set -uo pipefail
out=${OUT:-$PWD/gpu-evaluation}
mkdir -p "$out/reports"
log="$out/log.txt"
{ nvidia-smi -L; date; } >> "$log" 2>&1
# LightGCN and the quantizer on the CPU (16 cores there), the unified model on the GPU.
export GENSR_REPRESENTATION_DEVICE=cpu
run() {
  local name=$1 limit=$2; shift 2
  echo "=== $name start $(date +%T) limit ${limit}s: $*" >> "$log"
  timeout "$limit" bash .gpu/run.sh GenSR.Evaluation.Cli.dll "$@" --device cuda --quiet --out "$out/reports/$name" >> "$log" 2>&1
  echo "=== $name rc $? end $(date +%T)" >> "$log"
  tar czf "$out/reports.tar.gz" -C "$out" reports
}
data=$PWD/.gpu/data
# Fused GenSR (exact generative likelihood + w * dense head) on both datasets, 3 seeds, both protocols. GENSR_GPU_MINUTES
# is each model's training budget in minutes (default 1.5); the limits below leave room for preparation and ranking.
minutes=${GENSR_GPU_MINUTES:-1.5}
run scientific-gensr-fused 330 --data "$data/amazon-scientific" --format amazon --systems gensr-fused --seeds 3 --max-minutes "$minutes"
run ml-100k-gensr-fused 240 --data "$data/ml-100k" --format movielens --systems gensr-fused --seeds 3 --max-minutes "$minutes"
rm -rf "$out/reports"
