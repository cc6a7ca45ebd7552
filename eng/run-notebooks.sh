#!/usr/bin/env bash
# Runs notebooks headless with dotnet-repl (the local tool in .config/dotnet-tools.json) and fails when any cell of
# any notebook fails. The notebooks load the GenSR packages with #r "nuget: ..." from artifacts/packages: run
# eng/pack.sh first. Executed copies, with their outputs, go to artifacts/notebooks/.
#
# Usage: bash eng/run-notebooks.sh [NOTEBOOK.ipynb ...]        (default: every samples/notebooks/*.ipynb)
#   GENSR_NOTEBOOK_TIMEOUT  seconds one notebook may run (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

notebooks=("$@")
if [ "${#notebooks[@]}" -eq 0 ]; then
  shopt -s nullglob
  notebooks=(samples/notebooks/*.ipynb)
  shopt -u nullglob
fi
if [ "${#notebooks[@]}" -eq 0 ]; then
  echo "notebooks: none found under samples/notebooks" >&2
  exit 1
fi
if ! compgen -G "$root/artifacts/packages/GenSR.Core.*.nupkg" >/dev/null; then
  echo "notebooks: no GenSR packages in artifacts/packages; run 'bash eng/pack.sh' first" >&2
  exit 1
fi

dotnet tool restore >/dev/null
# The kernel restores "#r nuget:" packages with NuGet. The same packages folder as the consumer check, not the
# machine's global one, so that a GenSR package of the same version from an earlier pack cannot stand in for the fresh
# one (eng/pack.sh removes the GenSR entries of this folder).
export NUGET_PACKAGES="$root/artifacts/nuget-packages"
# The kernel's NuGet dependency manager also caches the resolved paths of each "#r nuget:" set under
# ~/.packagemanagement, keyed by the package list rather than the packages' contents. An entry made from an earlier
# pack (of another checkout, with the same version) would load that pack's assemblies, so entries naming a GenSR
# package are dropped first.
resolution_cache="${HOME}/.packagemanagement/nuget/Cache"
if [ -d "$resolution_cache" ]; then
  { grep -l -i -Z 'gensr\.' "$resolution_cache"/* 2>/dev/null || true; } | xargs -0 -r rm -f
fi
# One intra-op torch thread unless told otherwise: the notebooks' tensors are small, and on a busy machine torch's
# OpenMP threads spend far longer waiting for each other than computing.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
timeout_s="${GENSR_NOTEBOOK_TIMEOUT:-600}"
out="$root/artifacts/notebooks"
mkdir -p "$out"

# Prints what the cells wrote (stdout and errors) from an executed notebook.
print_outputs() {
  if command -v jq >/dev/null; then
    jq -r '.cells[] | select(.cell_type == "code") | .outputs[]
           | select(.output_type == "stream" or .output_type == "error")
           | if .output_type == "error" then "ERROR in cell: " + .evalue else (.text | if type == "array" then join("") else . end) end' "$1" \
      | sed 's/^/    /'
  else
    grep -o '"evalue": "[^"]*"' "$1" | sed 's/^"evalue": /    ERROR in cell: /' || true
  fi
}

failed=()
for notebook in "${notebooks[@]}"; do
  [ -f "$notebook" ] || { echo "notebooks: $notebook does not exist" >&2; failed+=("$notebook"); continue; }
  name=$(basename "$notebook")
  executed="$out/$name"
  rm -f "$executed"
  echo "notebooks: running $notebook"
  start=$(date +%s)
  set +e
  # From the notebook's own folder, as an editor runs it: the repository's nuget.config then adds the local feed.
  (cd "$(dirname "$notebook")" && timeout "$timeout_s" dotnet repl --run "$name" --exit-after-run --output-path "$executed" </dev/null)
  rc=$?
  set -e
  seconds=$(( $(date +%s) - start ))
  errors=0
  if [ -f "$executed" ]; then
    errors=$(grep -c '"output_type": "error"' "$executed" || true)
    print_outputs "$executed"
  fi
  if [ "$rc" -ne 0 ] || [ "$errors" -ne 0 ] || [ ! -f "$executed" ]; then
    reason="exit code $rc, $errors failing cell(s)"
    [ "$rc" -eq 124 ] && reason="timed out after ${timeout_s} s"
    [ -f "$executed" ] || reason="$reason, no executed notebook written"
    echo "notebooks: FAILED $notebook ($reason, ${seconds} s)" >&2
    failed+=("$notebook")
  else
    echo "notebooks: ok $notebook (${seconds} s)"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "notebooks: ${#failed[@]} of ${#notebooks[@]} failed: ${failed[*]} (executed copies in artifacts/notebooks)" >&2
  exit 1
fi
echo "notebooks: all ${#notebooks[@]} ran without a failing cell (executed copies in artifacts/notebooks)"
