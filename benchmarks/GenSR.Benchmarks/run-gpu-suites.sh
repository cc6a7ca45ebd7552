#!/usr/bin/env bash
# Runs the GPU benchmark suites one after another on a machine with a CUDA PyTorch but no .NET SDK, in process, with
# short jobs, most important first, each under its own time limit. Reports (BenchmarkDotNet markdown) and one log per
# suite go to $OUT (default ./gpu-results).
# Prepare on the development machine (repository root):
#   ../shared/gpu/pack.sh benchmarks/GenSR.Benchmarks/GenSR.Benchmarks.csproj
# then, on the GPU machine, from the repository root holding .gpu/:
#   bash benchmarks/GenSR.Benchmarks/run-gpu-suites.sh
set -uo pipefail
out=${OUT:-$PWD/gpu-results}
mkdir -p "$out"
root=$(pwd)
export GENSR_DEVICE=cuda

{ nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; } 2>&1 | tee "$out/gpu.txt"

# suite NAME SECONDS [ENV=VALUE ...] -- [benchmark arguments]: one in-process BenchmarkDotNet run under a time limit.
suite() {
  local name=$1 limit=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  echo "=== $name ($(date +%T), limit ${limit}s)" | tee -a "$out/summary.log"
  local start=$SECONDS
  env "${envs[@]}" timeout "$limit" bash "$root/.gpu/run.sh" GenSR.Benchmarks.dll --inProcess --artifacts "$out/$name" "$@" \
    > "$out/$name.log" 2>&1
  local rc=$?
  echo "=== $name: rc $rc after $((SECONDS - start)) s" | tee -a "$out/summary.log"
  grep -E '^\|' "$out/$name.log" | tee -a "$out/summary.log"
  # Keep the markdown reports only; the html/csv copies say the same.
  find "$out/$name" -type f ! -name '*.md' -delete 2>/dev/null
}

# (a) T5 anchor: trie-constrained vs unconstrained beam search, 256 queries x 64 tokens, 20 beams, 1M and 100k items.
suite t5-beam-search 130 GENSR_T5_DECODE_ITEMS=1000000,100000 -- --filter '*T5BeamSearch*' --job short
# (b) T5 training step at the anchor shapes, fp32 and bf16 autocast (the suite's own job: 2 warm-up, 8 measured).
suite t5-training-step 80 GENSR_T5_BENCH_BATCH=256 -- --filter '*T5TrainingStep*'
# (c) Reference-decoder beam search at 1M items (hidden 256) and the search's own overhead (hidden 1).
suite decoding-reference 80 GENSR_DECODING_ITEMS=1000000 -- --filter '*DecodingBeamSearchBenchmarks*' '*DecodingSearchOverhead*' --job short
# (d) LightGCN / MF-BPR epoch and RQ-KMeans 100k x 64 (the suites' own monitoring jobs).
suite representation 100 -- --filter '*RepresentationLightGcn*' '*RepresentationQuantization*'
# (e) If time is left: T5 beam search with whole-model bf16 at 1M items.
suite t5-beam-search-bf16 60 GENSR_T5_DECODE_ITEMS=1000000 GENSR_T5_DECODE_PRECISION=BFloat16 -- --filter '*T5BeamSearch*' --job short
