#!/usr/bin/env bash
# gdb-batch.sh: runs PROGRAM on the kernel (run-user.sh) with gdb attached in
# batch mode: a hardware breakpoint on kernel function SYMBOL, then at its
# first hit the backtrace, the source file and the arguments, then gdb
# detaches and the run goes on to its end. It shows (and GdbTests checks) that
# the image's DWARF from ilc -g gives gdb C# files, lines and kernel frames.
#   gdb-batch.sh [--break SYMBOL] [--smp N] [--add DIR]... -- PROGRAM [ARGS...]
# Prints gdb's output, the run's console after "=== run", and "=== run exit N".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
symbol=Kevlar_Process_Kevlar_Process_Syscalls_Ids__Getpid
run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --break) symbol=$2; shift 2 ;;
    --smp|--add) run_args+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "gdb-batch.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: gdb-batch.sh [--break SYMBOL] [--add DIR]... -- PROGRAM [ARGS]" >&2; exit 2; }
work=$(mktemp -d)
qemu_pid=""
cleanup() { [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
sock=$work/gdb.sock
bash "$root/qemu/run-user.sh" "${run_args[@]}" --timeout 240 --gdb-socket "$sock" -- "$@" > "$work/run.log" 2>&1 &
qemu_pid=$!
for _ in $(seq 1 300); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "gdb-batch.sh: QEMU never opened $sock" >&2; cat "$work/run.log" >&2; exit 1; }
timeout 200 gdb -batch -nx -ex 'set pagination off' -ex "target remote $sock" -ex "hbreak $symbol" -ex continue \
  -ex 'bt 10' -ex 'info source' -ex 'info args' -ex 'delete' -ex detach "$root/qemu/out/kernel.elf" 2>&1 || true
status=0
wait "$qemu_pid" || status=$?
qemu_pid=""
echo "=== run"
tr -d '\r' < "$work/run.log"
echo "=== run exit $status"
