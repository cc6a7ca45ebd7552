#!/usr/bin/env bash
# Runs the GPU benchmark suites one after another on a machine with a CUDA PyTorch but no .NET SDK, in process, with
# short jobs, most important first, each under its own time limit. Three files go to $OUT (default ./gpu-results):
# summary.log (card, timings of each suite, result tables), reports.md (BenchmarkDotNet's markdown reports) and
# suites.log (the full BenchmarkDotNet output), few files because the device tool returns at most eight.
# Prepare on the development machine, from the root of the checkout the GPU machine receives:
#   ../shared/gpu/pack.sh benchmarks/GenSR.Benchmarks/GenSR.Benchmarks.csproj
#   (cd .gpu/app && rm -f libcapstone.so Gee.External.Capstone.dll Iced.dll Dia2Lib.dll TraceReloggerLib.dll \
#      Microsoft.Diagnostics.Tracing.TraceEvent.dll && rm -rf amd64)   # disassembler/ETW parts: 59 -> 46 MB
#   cp benchmarks/GenSR.Benchmarks/run-gpu-suites.sh .gpu/
# then, on the GPU machine, from that root (.gpu/ carried along):
#   bash .gpu/run-gpu-suites.sh
set -uo pipefail
out=${OUT:-$PWD/gpu-results}
mkdir -p "$out"
root=$(pwd)
export GENSR_DEVICE=cuda

work=$(mktemp -d)
{ nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; } 2>&1 | tee -a "$out/summary.log"

# suite NAME SECONDS [ENV=VALUE ...] -- [benchmark arguments]: one in-process BenchmarkDotNet run under a time limit.
suite() {
  local name=$1 limit=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  echo "=== $name ($(date +%T), limit ${limit}s)" | tee -a "$out/summary.log"
  local start=$SECONDS
  env "${envs[@]}" timeout "$limit" bash "$root/.gpu/run.sh" GenSR.Benchmarks.dll --inProcess --artifacts "$work/$name" "$@" \
    > "$work/$name.log" 2>&1
  local rc=$?
  echo "=== $name: rc $rc after $((SECONDS - start)) s" | tee -a "$out/summary.log"
  # The device lines the suites print in their setup, then the result tables.
  grep -E '^// device' "$work/$name.log" | sort -u | tee -a "$out/summary.log"
  grep -E '^\|' "$work/$name.log" | tee -a "$out/summary.log"
  { echo "## $name"; cat "$work/$name"/results/*.md 2>/dev/null; echo; } >> "$out/reports.md"
  { echo "=== $name (rc $rc)"; cat "$work/$name.log"; } >> "$out/suites.log"
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
