#!/usr/bin/env bash
# Builds and runs the consumer check against the packages in artifacts/packages (run eng/pack.sh first): a project
# that references the GenSR packages from that local feed, not the projects, and trains and recommends for a few
# seconds, once on .NET 10 and once on .NET 8. Exits non-zero when the packages are missing, the build fails or any check of the run fails.
#
# Usage: bash eng/consumer/run.sh [--version-suffix SUFFIX] [-- program arguments, e.g. --device cuda --threads 0]
#   Without GenSR_VERSION_SUFFIX/--version-suffix it consumes version VersionPrefix (0.1.0), as eng/pack.sh packs by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

suffix="${GENSR_VERSION_SUFFIX:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --version-suffix) [ $# -ge 2 ] || { echo "consumer: --version-suffix needs a value" >&2; exit 2; }; suffix="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "consumer: unknown argument '$1'; expected --version-suffix SUFFIX, then -- and the program's arguments" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! compgen -G "$root/artifacts/packages/GenSR.Core.*.nupkg" >/dev/null; then
  echo "consumer: no GenSR packages in artifacts/packages; run 'bash eng/pack.sh' first" >&2
  exit 1
fi
project=eng/consumer/GenSR.ConsumerCheck/GenSR.ConsumerCheck.csproj
props=(-p:Configuration=Release)
[ -n "$suffix" ] && props+=("-p:VersionSuffix=$suffix")
# --force: restore again even when nothing in the project changed, so the packages just packed are the ones used.
dotnet restore "$project" --force "${props[@]}"
dotnet build "$project" --no-restore -f net10.0 "${props[@]}" -nologo -clp:NoSummary
echo "consumer: .NET 10"
dotnet "$root/eng/consumer/GenSR.ConsumerCheck/bin/Release/net10.0/GenSR.ConsumerCheck.dll" "$@"
# The net8.0 build, self-contained on the .NET 8 runtime pack (this machine's shared runtime is .NET 10 only), so the
# packages' net8.0 libraries run on .NET 8 itself.
dotnet build "$project" -f net8.0 -r linux-x64 --self-contained "${props[@]}" -nologo -clp:NoSummary
echo "consumer: .NET 8"
"$root/eng/consumer/GenSR.ConsumerCheck/bin/Release/net8.0/linux-x64/GenSR.ConsumerCheck" "$@"
