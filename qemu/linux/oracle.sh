#!/usr/bin/env bash
# The Linux oracle: runs static test programs on Debian's own kernel in the
# same QEMU machine the kernel's tests use (4 CPUs, multi-threaded TCG), for
# semantics the host cannot show (a container's cgroup hierarchy, for one).
#   oracle.sh [--smp N] PROGRAM [ARGS...] [-- PROGRAM [ARGS...]]...
# Each PROGRAM is a path on the host; its output is framed by "=== /NAME ARGS"
# and "=== exit STATUS" lines (qemu/linux/oracle-init.c). The kernel is
# qemu/linux/kernel.sh's (fetched once, shared with the bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smp=4
[ "${1:-}" = --smp ] && { smp=$2; shift 2; }
[ $# -gt 0 ] || { echo "usage: oracle.sh [--smp N] PROGRAM [ARGS...] [-- PROGRAM ...]" >&2; exit 2; }
kernel=$(bash "$root/qemu/linux/kernel.sh")
work=$(mktemp -d)
trap 'rm -rf "$work" "$work.cpio"' EXIT
mkdir -p "$work/oracle"
musl-gcc -static -O2 -o "$work/init" "$root/qemu/linux/oracle-init.c"
entry=()
flush() {
  [ ${#entry[@]} -gt 0 ] || return 0
  local name; name=$(basename "${entry[0]}")
  cp "${entry[0]}" "$work/$name"
  entry[0]=/$name
  echo "${entry[*]}" >> "$work/oracle/list"
  entry=()
}
for a in "$@"; do
  if [ "$a" = -- ]; then flush; else entry+=("$a"); fi
done
flush
(cd "$work" && find . -mindepth 1 | sed 's|^\./||' | cpio -o -H newc --quiet) > "$work.cpio"
timeout --foreground 300 qemu-system-x86_64 -M pc -accel tcg -smp "$smp" -m 512 -no-reboot -net none \
  -display none -serial stdio -monitor none -kernel "$kernel" -initrd "$work.cpio" \
  -append "console=ttyS0 panic=-1 quiet" < /dev/null | tr -d '\r' | grep -v '^\[ *[0-9.]*\] '
