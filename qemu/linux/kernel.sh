#!/usr/bin/env bash
# Prints the path of Debian's cloud kernel image, the Linux that the oracle
# (qemu/linux/oracle.sh) and the bench (qemu/bench/linux-reference.sh) boot:
# fetched once with apt-get download (extracted, not installed) into
# qemu/out/linux/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/qemu/out/linux
mkdir -p "$out"
if ! ls "$out"/vmlinuz-* >/dev/null 2>&1; then
  pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$pkg" ] || { apt-get update -qq >/dev/null; pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
  (cd "$out" && apt-get download -qq "$pkg" 2>/dev/null && dpkg-deb --fsys-tarfile "$pkg"_*.deb | tar -x --wildcards --strip-components=2 './boot/vmlinuz-*' && rm -f "$pkg"_*.deb)
fi
ls "$out"/vmlinuz-* | head -1
