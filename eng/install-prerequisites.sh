#!/usr/bin/env bash
# Platform prerequisites for GenSR.NET.
#
# TorchSharp 0.107's native library (libLibTorchSharp.so) needs GLIBCXX_3.4.32, i.e. libstdc++ from
# GCC 13 or newer. Debian 13, Ubuntu 24.04 and newer already have it; Debian 12 ships only up to
# GLIBCXX_3.4.30. On Debian 12, as root, this script installs libstdc++6 from the Debian 13 suite
# (trixie) with an apt pin of priority 100 so that nothing else is upgraded by accident.
# Anywhere else it does nothing when the requirement is met, and otherwise prints what to do.
set -euo pipefail

required=GLIBCXX_3.4.32

find_libstdcxx() {
  local p
  p=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64|libstdc\+\+\.so\.6 .*AArch64/{print $NF; exit}')
  [ -n "$p" ] || p=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')
  [ -n "$p" ] || for c in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$c" ] && { p=$c; break; }
  done
  printf '%s' "$p"
}

has_symbol() {
  local lib=$1
  [ -n "$lib" ] && [ -e "$lib" ] || return 1
  # grep -a on the library avoids needing binutils (strings/objdump) on minimal images.
  LC_ALL=C grep -aq "$required" "$(readlink -f "$lib")"
}

case "$(uname -s)" in
  Linux) ;;
  Darwin)
    echo "prerequisites: macOS detected. TorchSharp publishes no macOS x64/arm64 libtorch package that this"
    echo "  repository references; run GenSR.NET on Linux x64 (or Windows x64 with libtorch-cpu-win-x64)."
    exit 0 ;;
  *)
    echo "prerequisites: $(uname -s) is not Linux; on Windows x64 reference libtorch-cpu-win-x64 instead of"
    echo "  libtorch-cpu-linux-x64 (build with -p:GenSRNativeLibTorch=false and add it yourself)."
    exit 0 ;;
esac

lib=$(find_libstdcxx)
if has_symbol "$lib"; then
  echo "prerequisites: $lib provides $required; nothing to do."
  exit 0
fi

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" = "debian" ] && [ "${VERSION_ID:-}" = "12" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    cat <<MSG
prerequisites: $required is missing from ${lib:-libstdc++} (Debian 12 ships up to GLIBCXX_3.4.30).
TorchSharp's native library will not load until libstdc++ from GCC 13+ is installed. Run as root:

  echo 'Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > /etc/apt/sources.list.d/gensr-trixie.sources
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/gensr-trixie-pin
  apt-get update && apt-get install -y -t trixie libstdc++6

or re-run this script with sudo.
MSG
    exit 1
  fi
  echo "prerequisites: Debian 12 without $required: installing libstdc++6 from Debian 13 (trixie), pinned at priority 100."
  cat > /etc/apt/sources.list.d/gensr-trixie.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/gensr-trixie-pin
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  ldconfig
  lib=$(find_libstdcxx)
  if has_symbol "$lib"; then
    echo "prerequisites: done; $lib now provides $required."
    exit 0
  fi
  echo "prerequisites: the upgrade finished but $required is still missing from ${lib:-libstdc++}." >&2
  exit 1
fi

cat <<MSG >&2
prerequisites: $required is missing from ${lib:-libstdc++} on ${PRETTY_NAME:-this system}.
TorchSharp 0.107 needs libstdc++ from GCC 13 or newer. Install it with your distribution's package
manager (Ubuntu 22.04: the ubuntu-toolchain-r/test PPA's libstdc++6; Fedora/RHEL: gcc-toolset 13+
runtime), or use a newer distribution (Debian 13, Ubuntu 24.04 and later already have it).
MSG
exit 1
