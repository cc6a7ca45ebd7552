# Shared by run-gpu-evaluation.sh and run-gpu-tiger.sh (sourced, not run): the output folder, the log, the device line,
# representations on the CPU, and run NAME LIMIT ARGS..., one harness process under its own time limit whose report is
# packed into $out/reports.tar.gz after every run.
out=${OUT:-$PWD/${GENSR_GPU_OUT_NAME:-gpu-evaluation}}
mkdir -p "$out/reports"
log="$out/log.txt"
{ nvidia-smi -L; date; } >> "$log" 2>&1
# LightGCN and the quantizers on the CPU (16 cores there), the sequence models on the GPU.
export GENSR_REPRESENTATION_DEVICE=cpu
run() {
  local name=$1 limit=$2; shift 2
  echo "=== $name start $(date +%T) limit ${limit}s: $*" >> "$log"
  timeout "$limit" bash .gpu/run.sh GenSR.Evaluation.Cli.dll "$@" --device cuda --quiet --out "$out/reports/$name" >> "$log" 2>&1
  echo "=== $name rc $? end $(date +%T)" >> "$log"
  tar czf "$out/reports.tar.gz" -C "$out" reports
}
