#!/usr/bin/env bash
# The SMP regression suite: every program named in qemu/smp-suite.list, run R
# times each on the kernel under multi-threaded TCG (vCPUs really run in
# parallel), then a table: program, runs passed, median wall time. A run
# passes when the program exits 0 and prints no FAIL line. A panic (run-user
# exit 99, the decoded report is in the log), a run that stops printing for
# --stall seconds (a hang: the log shows where it stopped) and every failed
# check are listed with the log kept under qemu/out/smp-suite/.
#   smp-suite.sh [--runs R] [--smp N] [--filter REGEX] [--stall S] [--native]
# --native first runs each program once on the host's Linux and leaves out
# (and reports) any whose reference run fails. Exit 0 iff every run passed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=20 smp=4 filter="" stall=60 native=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --stall) stall=$2; shift 2 ;;
    --native) native=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "smp-suite: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
bash qemu/user/build.sh >/dev/null || { echo "smp-suite: the test programs do not build" >&2; exit 2; }
out=qemu/out/smp-suite/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

# One run: prints "STATUS MILLISECONDS" (STATUS pass, fail, panic, hang, boot).
run_once() {
  local log=$1; shift
  local t0 t1 pid last size idle=0
  t0=$(date +%s%N)
  setsid qemu/run-user.sh --smp "$smp" --timeout 1800 --add qemu/out/user -- "$@" > "$log" 2>&1 &
  pid=$!
  last=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    size=$(stat -c %s "$log" 2>/dev/null || echo 0)
    if [ "$size" = "$last" ]; then idle=$((idle + 1)); else idle=0 last=$size; fi
    if [ "$idle" -ge "$stall" ]; then
      kill -- -"$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
      echo "hang $(( ($(date +%s%N) - t0) / 1000000 ))"
      return
    fi
  done
  wait "$pid"
  local status=$?
  t1=$(date +%s%N)
  local ms=$(( (t1 - t0) / 1000000 ))
  if [ "$status" = 99 ]; then echo "panic $ms"
  elif [ "$status" = 98 ]; then echo "boot $ms"
  elif [ "$status" = 0 ] && ! grep -q '^FAIL' "$log"; then echo "pass $ms"
  else echo "fail $ms"
  fi
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }

total=0 good=0 problems=()
printf '%-22s %9s %11s  %s\n' program passed "median ms" notes
while read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -n "$filter" ] && ! [[ $name =~ $filter ]] && continue
  # The cgroup programs mount cgroup2 at /sys/fs/cgroup; on the host they must find its own mount.
  native_args=$args
  [ -f "qemu/user/cgroups/$name.c" ] && native_args="--find"
  # shellcheck disable=SC2086
  if [ "$native" = 1 ] && ! /usr/bin/env --default-signal=PIPE "qemu/out/user/$name" $native_args > "$out/$name.native.log" 2>&1; then
    printf '%-22s %9s %11s  %s\n' "$name" - - "left out: the native run failed ($out/$name.native.log)"
    continue
  fi
  passed=0 times=() notes=""
  for r in $(seq "$runs"); do
    log=$out/$name-$r.log
    # shellcheck disable=SC2086
    read -r status ms < <(run_once "$log" "/$name" $args)
    total=$((total + 1))
    if [ "$status" = pass ]; then
      passed=$((passed + 1)) good=$((good + 1))
      times+=("$ms")
      rm -f "$log"
    else
      detail=$(grep -m1 -E '^FAIL|KEVLAR PANIC|panic' "$log" | tr -d '\r' | cut -c1-120)
      problems+=("$name run $r: $status${detail:+ ($detail)}: $log")
      notes="$notes $status"
    fi
  done
  med=$(printf '%s\n' "${times[@]}" | median)
  printf '%-22s %6s/%-2s %11s  %s\n' "$name" "$passed" "$runs" "$med" "${notes# }"
done < qemu/smp-suite.list
for p in "${problems[@]}"; do echo "  $p"; done
echo "smp-suite: $good of $total runs passed (-smp $smp, multi-threaded TCG; logs of failures in $out)"
[ "$good" = "$total" ]
