#!/usr/bin/env bash
# ./kevlar profile: runs one program on the kernel (as ./kevlar run does) while
# the host samples every vCPU through QEMU's monitor (qemu/Kevlar.Profile),
# then prints where the time went — idle, user, kernel, the top functions by
# self and total samples — and writes folded stacks for flame-graph tools to
# qemu/out/profile/PROGRAM.folded.
#   profile.sh [--smp N] [--hz H] [--single-thread] [--add DIR]... -- PROGRAM [ARGS...]
# Multi-threaded TCG by default; --single-thread matches ./kevlar bench's timings.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smp=4 hz=200 run_args=() dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --hz) hz=$2; shift 2 ;;
    --single-thread) run_args+=(--single-thread); shift ;;
    --add) dirs+=("$2"); run_args+=(--add "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: profile.sh [--smp N] [--hz H] [--single-thread] [--add DIR]... -- PROGRAM [ARGS...]" >&2; exit 2; }
out=$root/qemu/out/profile
mkdir -p "$out"
name=$(basename "$1")
programs=()
for d in "${dirs[@]}"; do [ -f "$d/$1" ] && programs+=(--program "$d/$1"); done
dotnet build qemu/Kevlar.Profile -c Release -o "$out/bin" --nologo -v q > "$out/build.log" 2>&1 \
  || { echo "profile.sh: the profiler does not build (see $out/build.log)" >&2; exit 1; }
sock=$(mktemp -u /tmp/kevlar-monitor.XXXXXX)
qemu/run-user.sh --smp "$smp" --monitor "$sock" "${run_args[@]}" -- "$@" &
run=$!
dotnet "$out/bin/Kevlar.Profile.dll" --monitor "$sock" --kernel qemu/out/kernel.elf "${programs[@]}" \
  --hz "$hz" --out "$out/$name.folded" > "$out/$name.txt"
wait "$run"
status=$?
rm -f "$sock"
echo "--- profile of $* ($smp CPUs) ---"
cat "$out/$name.txt"
exit $status
