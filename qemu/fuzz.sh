#!/usr/bin/env bash
# ./kevlar fuzz: boots the kernel with qemu/fuzz/fuzz.c as the workload (see
# its header for the descriptions and rules) and judges the run: the
# fuzzer's summary and the kernel's figures at exit are printed; a kernel
# panic (run-user.sh status 99: the decoded report is above), a kernel that
# stopped answering (124), a hang the fuzzer saw (1: no call finished for
# 10 s, or a worker outlived SIGKILL) or kernel memory that grew over the run
# (3) is a failure, kept in qemu/out/fuzz/failure-<seed>.txt with the
# options, the seed and the log. `--replay FILE` runs a kept failure again on
# one CPU with the same seed (the schedule is then as repeatable as the
# machine allows); qemu/fuzz-minimize.sh FILE shrinks it to the calls of one
# worker that still fail. --generation/--keep/--print-calls run one worker's
# calls alone (fuzz.c's header); --append passes words to the kernel's
# command line (kevlar.fault=syscall:N injects a fault, for testing this).
#   fuzz.sh [--smp N] [--seconds T | --calls N] [--seed S] [--procs P] [--only|--skip NAMES]
#           [--generation G [--keep LIST] [--print-calls]] [--append WORDS] [--replay FILE]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smp=4 seconds=0 calls=100000 seed=$(date +%s) procs=0 replay="" pick="" generation="" keep="" print_calls="" append=""
while [ $# -gt 0 ]; do
  case $1 in
    --smp) smp=$2; shift 2 ;;
    --seconds) seconds=$2; calls=1000000000; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --procs) procs=$2; shift 2 ;;
    --replay) replay=$2; shift 2 ;;
    --only|--skip) pick="$1 $2"; shift 2 ;;
    --generation) generation=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --print-calls) print_calls=1; shift ;;
    --append) append=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "kevlar fuzz: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -n "$replay" ]; then
  [ -f "$replay" ] || { echo "kevlar fuzz: no file $replay" >&2; exit 2; }
  # shellcheck disable=SC1090
  eval "$(grep -E '^(seed|calls|seconds|procs|pick|generation|keep|append)=' "$replay")"
  smp=1
  echo "kevlar fuzz: replaying $replay on 1 CPU (seed $seed)"
fi
args=(--seed "$seed" --calls "$calls" --seconds "$seconds" --procs "$procs")
# shellcheck disable=SC2206
[ -n "$pick" ] && args+=($pick)
[ -n "$generation" ] && args+=(--generation "$generation")
[ -n "$keep" ] && args+=(--keep "$keep")
[ -n "$print_calls" ] && args+=(--print-calls)
kernel_args=()
[ -n "$append" ] && kernel_args=(--append "$append")
out=$root/qemu/out/fuzz
mkdir -p "$out/root"
musl-gcc -static -O2 -Wall -Wextra -Werror -o "$out/root/fuzz" qemu/fuzz/fuzz.c || exit 2
limit=$(( seconds > 0 ? seconds + 120 : calls / 200 + 120 ))
log=$out/last.log
# The log keeps every line; the terminal is spared the line per worker started.
qemu/run-user.sh --smp "$smp" --kernel-stats --timeout "$limit" "${kernel_args[@]}" --add "$out/root" -- \
  /fuzz "${args[@]}" 2>&1 | tee "$log" | grep --line-buffered -v '^fuzz: worker [0-9]* gen '
status=${PIPESTATUS[0]}
case $status in
  0) echo "kevlar fuzz: passed (seed $seed)"; exit 0 ;;
  99) what="kernel panic" ;;
  124) what="no answer from the kernel within $limit s" ;;
  1) what="a hang (the HANG line above: no call finished for 10 s, or a worker outlived SIGKILL by 10 s)" ;;
  3) what="kernel memory grew over the run (the LEAK line above)" ;;
  *) what="run-user.sh status $status" ;;
esac
kept=$out/failure-$seed${generation:+-gen$generation}.txt
{ echo "# kevlar fuzz failure: $what"; echo "status=$status"
  for v in seed calls seconds procs smp pick generation keep append; do printf '%s=%q\n' "$v" "${!v}"; done
  echo "# log:"; cat "$log"; } > "$kept"
echo "kevlar fuzz: FAILED: $what (seed $seed); kept in $kept; rerun with ./kevlar fuzz --replay $kept" >&2
exit "$status"
