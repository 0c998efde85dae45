#!/usr/bin/env bash
# Figures for Kevlar on QEMU, all under single-threaded TCG (-accel
# tcg,thread=single) so runs compare: QEMU start to the first kernel line and
# to all CPUs online (median of 5 boots), the cross-CPU round trip and
# messages per second per CPU, heap use around the message storm, QEMU's
# host CPU use while the kernel idles, image size, and the syscall figures of
# qemu/bench/syscall-bench.c run by ./kevlar run (QEMU start to its first line,
# getpid, fork+exit+wait, first-touch page faults); then the same figures for
# Linux on the same QEMU (qemu/bench/linux-reference.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smp=4
runs=5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

boot_once() {
  local start first="" online=""
  start=$(date +%s%N)
  while IFS= read -r line; do
    local now; now=$(date +%s%N)
    case $line in
      *"kevlar: booting"*) first=$(( (now - start) / 1000000 )) ;;
      *"CPUs online"*) online=$(( (now - start) / 1000000 )) ;;
    esac
  done < <(qemu/run-qemu.sh --smp $smp --single-thread --append "kevlar.test=none" --timeout 60)
  echo "$first $online"
}

echo "kevlar bench: $smp CPUs, -accel tcg,thread=single, $(nproc) host cores"
firsts=() onlines=()
for i in $(seq $runs); do
  read -r f o < <(boot_once)
  firsts+=("$f") onlines+=("$o")
done
echo "boot: QEMU start -> first kernel line: median $(printf '%s\n' "${firsts[@]}" | median) ms (runs: ${firsts[*]})"
echo "boot: QEMU start -> all CPUs online:   median $(printf '%s\n' "${onlines[@]}" | median) ms (runs: ${onlines[*]})"

log=$(mktemp)
qemu/run-qemu.sh --smp $smp --single-thread --append "kevlar.test=ping-pong,message-storm" --timeout 600 > "$log"
grep -E "^selftest (ping-pong|message-storm):" "$log" | sed 's/^/messaging: /'
grep -E "^sched cpu" "$log" | sed 's/^/messaging: /'

# --- collector pauses (issue 11) ---------------------------------------------
# The gc-pauses self-test (qemu/selftests/GcPausesTest.cs): 3.5, 10 and 100 MB
# kept live in 32-byte objects while every CPU churns garbage, 20 collections
# each; median, p99 and max of every phase (time to safepoint, clearing mark
# bits, roots, mark, sweep, the whole stopped pause) in microseconds, the
# format of /proc/kevlar/gc (runtime/Kevlar.Runtime/Diagnostics/GcPauseTable.cs).
for kib in 3584 10240 102400; do
  qemu/run-qemu.sh --smp $smp --single-thread --append "kevlar.test=gc-pauses kevlar.gclive=$kib quiet" --timeout 600 > "$log"
  grep -E "^gc-pauses: (n|median|p99|max) " "$log" | sed "s/^gc-pauses: /gc $kib KiB live: /"
done
# --- end of collector pauses --------------------------------------------------
# Idle: with nothing to do every CPU halts; QEMU's host CPU use should be near zero.
qemu/run-qemu.sh --smp $smp --timeout 30 > /dev/null 2>&1 &
sleep 4
pid=$(pgrep -n -f "qemu-system-x86_64.*kernel.elf")
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); sleep 5; t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "idle: QEMU host CPU use with the kernel idle ($smp vCPUs, default MTTCG): $(( (t1 - t0) * 100 / (5 * hz) ))% of one core over 5 s"
kill "$pid" 2>/dev/null; wait 2>/dev/null

# User space: the syscall program as PID 1, timed from QEMU's start.
bench_dir=$(mktemp -d)
musl-gcc -static -O2 -pthread -o "$bench_dir/syscall-bench" qemu/bench/syscall-bench.c
start=$(date +%s%N) first=""
while IFS= read -r line; do
  line=${line%$'\r'}
  case $line in
    bench-start:*) first=$(( ($(date +%s%N) - start) / 1000000 )) ;;
    bench-*) echo "user: ${line#bench-}" ;;
  esac
done < <(qemu/run-user.sh --smp $smp --single-thread --timeout 300 --add "$bench_dir" -- /syscall-bench)
echo "user: QEMU start -> first line from the program (PID 2, under kevlar-init): $first ms"
rm -rf "$bench_dir"

# The same machine running Linux (Debian's cloud kernel, a static musl /init):
# boot to the first kernel line and to init, and a pinned pipe ping-pong as the
# reference for the cross-CPU round trip. --no-linux skips it.
if [ "${1:-}" != "--no-linux" ]; then
  lfirst=() linit=() lping=""
  for i in 1 2 3; do
    start=$(date +%s%N) f="" n=""
    while IFS= read -r line; do
      now=$(date +%s%N)
      case $line in
        *"Linux version"*) f=$(( (now - start) / 1000000 )) ;;
        linux-init:*) n=$(( (now - start) / 1000000 )) ;;
        linux-pingpong:*) lping=$line ;;
      esac
    done < <(bash qemu/bench/linux-reference.sh $smp 2>/dev/null)
    lfirst+=("$f") linit+=("$n")
  done
  echo "linux: QEMU start -> first kernel line: median $(printf '%s\n' "${lfirst[@]}" | median) ms (runs: ${lfirst[*]})"
  echo "linux: QEMU start -> init running:      median $(printf '%s\n' "${linit[@]}" | median) ms (runs: ${linit[*]})"
  echo "linux: ${lping#linux-pingpong: }"
  start=$(date +%s%N) first=""
  while IFS= read -r line; do
    line=${line%$'\r'}
    case $line in
      bench-start:*) first=$(( ($(date +%s%N) - start) / 1000000 )) ;;
      bench-*) echo "linux: ${line#bench-}" ;;
    esac
  done < <(bash qemu/bench/linux-reference.sh $smp tcg,thread=single "$root/qemu/bench/syscall-bench.c" 2>/dev/null)
  echo "linux: QEMU start -> first line from /init: $first ms"
fi

echo "image: qemu/out/kernel.elf $(stat -c %s qemu/out/kernel.elf) bytes ($(size -A qemu/out/kernel.elf | awk '/^\.text/ {print $2}') bytes of text)"
rm -f "$log"
