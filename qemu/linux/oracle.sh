#!/usr/bin/env bash
# The Linux oracle: runs static test programs on Debian's own kernel in the
# same QEMU machine the kernel's tests use (4 CPUs, multi-threaded TCG), for
# semantics the host cannot show (a container's cgroup hierarchy, for one).
#   oracle.sh [--smp N] [--single-thread] [--net] [--fwd RULE]... [--guestfwd RULE]...
#             PROGRAM [ARGS...] [-- PROGRAM [ARGS...]]...
# Each PROGRAM is a path on the host; its output is framed by "=== /NAME ARGS"
# and "=== exit STATUS" lines (qemu/linux/oracle-init.c). The kernel is
# qemu/linux/kernel.sh's (fetched once, shared with the bench). --net, --fwd
# and --guestfwd give it the virtio-net device on QEMU's user network as
# qemu/run-qemu.sh gives this kernel one (restrict=on; the same MAC), with
# eth0 at 10.0.2.15/24 via 10.0.2.2 (the modules from qemu/linux/modules.sh);
# --single-thread runs TCG on one thread (for timings).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smp=4 accel=tcg net=0 rules=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --single-thread) accel=tcg,thread=single; shift ;;
    --net) net=1; shift ;;
    --fwd) net=1; rules="$rules,hostfwd=$2"; shift 2 ;;
    --guestfwd) net=1; rules="$rules,guestfwd=$2"; shift 2 ;;
    *) break ;;
  esac
done
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
network=(-net none)
if [ "$net" = 1 ]; then
  mkdir -p "$work/modules"
  cp "$(bash "$root/qemu/linux/modules.sh")"/*.ko "$work/modules/"
  echo "10.0.2.15 24 10.0.2.2" > "$work/oracle/ip"
  network=(-netdev "user,restrict=on$rules,id=net0" -device "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56")
fi
(cd "$work" && find . -mindepth 1 | sed 's|^\./||' | cpio -o -H newc --quiet) > "$work.cpio"
timeout --foreground 300 qemu-system-x86_64 -M pc -accel "$accel" -smp "$smp" -m 512 -no-reboot "${network[@]}" \
  -display none -serial stdio -monitor none -kernel "$kernel" -initrd "$work.cpio" \
  -append "console=ttyS0 panic=-1 quiet" < /dev/null | tr -d '\r' | grep -v '^\[ *[0-9.]*\] '
