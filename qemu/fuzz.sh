#!/usr/bin/env bash
# ./kevlar fuzz: boots the kernel with qemu/fuzz/fuzz.c as the workload (see
# its header for the descriptions and rules) and judges the run: the
# fuzzer's summary and the kernel's figures at exit are printed; a kernel
# panic (run-user.sh status 99: the decoded report is above), a kernel that
# stopped answering (124) or a fuzzer that saw no progress for 10 s (1) is a
# failure, kept in qemu/out/fuzz/failure-<seed>.txt with the options, the
# seed and the log. `--replay FILE` runs a kept failure again on one CPU with
# the same seed (the schedule is then as repeatable as the machine allows).
#   fuzz.sh [--smp N] [--seconds T | --calls N] [--seed S] [--procs P] [--replay FILE]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smp=4 seconds=0 calls=100000 seed=$(date +%s) procs=0 replay=""
while [ $# -gt 0 ]; do
  case $1 in
    --smp) smp=$2; shift 2 ;;
    --seconds) seconds=$2; calls=1000000000; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --procs) procs=$2; shift 2 ;;
    --replay) replay=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "kevlar fuzz: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -n "$replay" ]; then
  [ -f "$replay" ] || { echo "kevlar fuzz: no file $replay" >&2; exit 2; }
  # shellcheck disable=SC1090
  eval "$(grep -E '^(seed|calls|seconds|procs)=' "$replay")"
  smp=1
  echo "kevlar fuzz: replaying $replay on 1 CPU (seed $seed)"
fi
out=$root/qemu/out/fuzz
mkdir -p "$out/root"
musl-gcc -static -O2 -Wall -Wextra -Werror -o "$out/root/fuzz" qemu/fuzz/fuzz.c || exit 2
limit=$(( seconds > 0 ? seconds + 120 : calls / 200 + 120 ))
log=$out/last.log
qemu/run-user.sh --smp "$smp" --kernel-stats --timeout "$limit" --add "$out/root" -- \
  /fuzz --seed "$seed" --calls "$calls" --seconds "$seconds" --procs "$procs" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
case $status in
  0) echo "kevlar fuzz: passed (seed $seed)"; exit 0 ;;
  99) what="kernel panic" ;;
  124) what="no answer from the kernel within $limit s" ;;
  1) what="no fuzz process made progress for 10 s" ;;
  *) what="run-user.sh status $status" ;;
esac
kept=$out/failure-$seed.txt
{ echo "# kevlar fuzz failure: $what"; echo "seed=$seed"; echo "calls=$calls"; echo "seconds=$seconds"; echo "procs=$procs"; echo "smp=$smp"; echo "# log:"; cat "$log"; } > "$kept"
echo "kevlar fuzz: FAILED: $what (seed $seed); kept in $kept; rerun with ./kevlar fuzz --replay $kept" >&2
exit 1
