#!/usr/bin/env bash
# TIGER's Beauty table on a CUDA machine without a .NET SDK (the device tool): the library's TIGER configuration, the
# harness's SASRec and unified GenSR on amazon-beauty, recommendation only, full ranking, leave-one-out, with the
# published rows beside them; every report packed into $OUT/reports.tar.gz (+ $OUT/log.txt).
# Prepare from the repository root on the development machine:
#   ../shared/gpu/pack.sh tools/GenSR.Evaluation.Cli/GenSR.Evaluation.Cli.csproj
#   mkdir -p .gpu/data && cp -r ../shared/datasets/amazon-beauty .gpu/data/   # transient, git-ignored; never committed
#   cp tools/GenSR.Evaluation.Cli/run-gpu-tiger.sh tools/GenSR.Evaluation.Cli/gpu-run-common.sh .gpu/
# then on the GPU machine, from the repository root: bash .gpu/run-gpu-tiger.sh
# GENSR_TIGER_MINUTES (default 3) is TIGER's training budget, GENSR_GENSR_MINUTES (default 1.5) GenSR's.
set -uo pipefail
GENSR_GPU_OUT_NAME=gpu-tiger
source "$(dirname "$0")/gpu-run-common.sh"
data=$PWD/.gpu/data/amazon-beauty
common=(--data "$data" --format amazon --tasks recommendation --protocol full --published docs/results/published/amazon-beauty.json)
# TIGER: RQ-VAE identifiers of the MiniLM item vectors, 4 + 4 T5, next-item generation, beam search; no search events.
run beauty-tiger 300 "${common[@]}" --search-fraction 0 --systems tiger --item-encoder minilm --max-minutes "${GENSR_TIGER_MINUTES:-3}"
# The harness's SASRec (cross-entropy) on the same split.
run beauty-sasrec 100 "${common[@]}" --search-fraction 0 --systems sasrec
# Unified GenSR in its best current form: fused ranking, MiniLM query vectors, trained on both tasks with title-word
# queries synthesised for half the events (the data has no categories), evaluated on recommendation.
run beauty-gensr-fused 140 "${common[@]}" --systems gensr-fused --item-encoder minilm --query-vectors minilm --max-minutes "${GENSR_GENSR_MINUTES:-1.5}"
rm -rf "$out/reports"
