#!/usr/bin/env bash
# Runs one Linux program on the kernel, non-interactively:
#   run-user.sh [--smp N] [--mem MB] [--add DIR]... [--trace-syscalls] [--single-thread]
#               [--kernel-stats] [--timeout S] [--pidfile FILE] [--monitor SOCKET] [--gdb-socket SOCKET]
#               [--append ARGS]
#               [--net] [--fwd RULE]... [--guestfwd RULE]... [--netdev SPEC] [--mac MAC] [--nic PROPS]
#               [--machine pc|q35]
#               -- PROGRAM [ARGS...]
# Builds an initramfs from each DIR (added at its root) plus /kevlar/init (PID
# 1: qemu/init/kevlar-init.c, which runs the program as its child and reaps
# orphans) and /kevlar/argv (init's command line, NUL-separated), boots QEMU
# with it, streams the program's output, and exits with the program's exit
# status (128+N when signal N killed it),
# which the kernel reports on COM2 (with --kernel-stats, also the kernel's
# figures at exit: heap, collections, free pages, on stderr as "kernel: ...").
# A kernel panic exits 99 after printing
# the decoded report; a boot that never reports exits 98; a timeout 124.
# --pidfile: QEMU writes its pid there (see run-qemu.sh). --monitor: QEMU's
# monitor on a Unix socket (./kevlar profile samples through it). --gdb-socket:
# QEMU waits for gdb on that Unix socket before the first instruction. --append:
# more kernel command-line words (kevlar.fault=syscall:N, kevlar.watchdog=S).
# --net, --fwd, --guestfwd, --netdev, --mac: a virtio-net device (run-qemu.sh,
# which also gives eth0 its address on QEMU's user network).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smp=4 mem=512 timeout=600 trace=0 stats=0 dirs=() qemu_args=() extra_append=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --add) dirs+=("$2"); shift 2 ;;
    --trace-syscalls) trace=1; shift ;;
    --kernel-stats) stats=1; shift ;;
    --single-thread) qemu_args+=(--single-thread); shift ;;
    --pidfile) qemu_args+=(--pidfile "$2"); shift 2 ;;
    --monitor) qemu_args+=(--monitor "$2"); shift 2 ;;
    --gdb-socket) qemu_args+=(--gdb-socket "$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --append) extra_append="$extra_append $2"; shift 2 ;;
    --net) qemu_args+=(--net); shift ;;
    --fwd|--guestfwd|--netdev|--mac|--nic|--machine) qemu_args+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "kevlar run: unknown option $1 (the program goes after --)" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: ./kevlar run [--smp N] [--add DIR]... [--trace-syscalls] -- PROGRAM [ARGS]" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/root
mkdir -p "$tree/kevlar" "$tree/bin" "$tree/dev" "$tree/proc" "$tree/tmp"
chmod 1777 "$tree/tmp" # as on Linux: anyone may create files there
for d in "${dirs[@]}"; do
  [ -d "$d" ] || { echo "kevlar run: --add $d: not a directory" >&2; exit 2; }
  cp -a "$d/." "$tree/"
done
init=$root/qemu/out/kevlar-init
if [ ! -x "$init" ] || [ "$root/qemu/init/kevlar-init.c" -nt "$init" ]; then
  mkdir -p "$root/qemu/out"
  musl-gcc -static -O2 -o "$init.tmp" "$root/qemu/init/kevlar-init.c" && mv "$init.tmp" "$init" || { echo "kevlar run: cannot build kevlar-init" >&2; exit 2; }
fi
cp "$init" "$tree/kevlar/init"
printf '%s\0' /kevlar/init "$@" > "$tree/kevlar/argv"
(cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) > "$work/initramfs.cpio"
append="quiet$extra_append"
[ "$trace" = 1 ] && append="$append kevlar.trace=syscalls"
log=$work/console.log
"$root/qemu/run-qemu.sh" --smp "$smp" --mem "$mem" --timeout "$timeout" --append "$append" \
  --initrd "$work/initramfs.cpio" --control "$work/control" "${qemu_args[@]}" | tee "$log"
status=${PIPESTATUS[0]}
if [ "$stats" = 1 ] && [ -s "$work/control" ]; then
  sed -n 's/^stat \(.*\) \([0-9]*\)$/kernel: \1 \2/p' "$work/control" >&2
fi
if [ -s "$work/control" ] && grep -q '^exit ' "$work/control"; then
  exit "$(sed -n 's/^exit \([0-9]*\).*/\1/p' "$work/control" | tail -1)"
fi
if grep -q 'KEVLAR PANIC' "$log"; then
  echo "kevlar run: kernel panic; decoded report:" >&2
  dotnet run --project "$root/qemu/Kevlar.Decode" -c Release -- "$log" >&2
  exit 99
fi
[ "$status" = 124 ] && { echo "kevlar run: timed out after ${timeout} s" >&2; exit 124; }
echo "kevlar run: the kernel stopped without reporting an exit status (QEMU status $status)" >&2
exit 98
