#!/usr/bin/env bash
# `./kevlar bench`: Kevlar and Linux side by side on the same QEMU machine
# (-M pc, -smp N, -accel tcg,thread=single so runs compare).
#   bench.sh [--runs R] [--filter NAME[,NAME...]] [--smp N] [--scale F]
#            [--no-linux] [--table-only]
# Each run boots each kernel twice, the kernels alternating run by run
# (Kevlar, Linux, Kevlar, Linux, ...). "QEMU start" is when QEMU wrote its
# pid file (-pidfile), before it loads the kernel: the time to build an
# initramfs and start the process is left out, for both kernels alike.
#   - the benchmark program (qemu/bench/syscall-bench.c, the tree of
#     qemu/bench/build-root.sh: the same static binaries and BusyBox for both),
#     on Kevlar through qemu/run-user.sh, on Linux as /init through
#     qemu/bench/linux-reference.sh; QEMU start to its first line is the
#     "boot-to-first-user-line" figure;
#   - BusyBox init to a login shell (qemu/busybox-initramfs.sh), timed from
#     QEMU's start to the "/ # " prompt on the console ("boot-to-shell-prompt"),
#     then that QEMU is stopped by the pid it wrote (not with --filter);
#   - TCP through virtio-net (not with --filter, unless it names "net"):
#     qemu/user/net/bulk.c's checked 10 MiB stream from the guest to a native
#     bulk on this host through guestfwd (net-guest-to-host) and back
#     (net-host-to-guest, the guest fetching), timed by the guest, as ns per
#     MiB; Linux runs it through qemu/linux/oracle.sh with Debian's virtio-net
#     modules, on the same QEMU user network.
# Every figure goes to qemu/out/bench/runs.csv; qemu/bench/Kevlar.BenchReport
# prints the table (medians, ratio Kevlar/Linux, spreads) and writes
# qemu/out/bench/summary.csv and ratios.png; each run's console log stays as
# qemu/out/bench/KERNEL-RUN.log. Then, unless --table-only, the
# kernel's own figures: boot to the first kernel line and to all CPUs online,
# the messaging self-tests, idle host CPU use, Linux's boot and pipe
# ping-pong, the image size. Only QEMU processes this script started are
# ever stopped, each by its own pid. Exits 1 when a benchmark failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smp=4 runs=5 filter="" scale=1 linux=1 extras=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --no-linux) linux=0; shift ;;
    --table-only) extras=0; shift ;;
    *) echo "kevlar bench: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$root/qemu/out/bench
mkdir -p "$out"
work=$(mktemp -d)
started=() # pid files of the QEMUs this script started (each removed once its QEMU has ended)
# Stops the QEMU that wrote PIDFILE, if it still runs: the pid must still be
# a process whose command line names that pid file, so a reused pid is never hit.
stop_qemu() { # PIDFILE
  local pid
  pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] || return 0
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-pidfile $1" && kill "$pid" 2>/dev/null
  return 0
}
stop_ours() {
  local f
  for f in "${started[@]}"; do stop_qemu "$f"; done
  rm -rf "$work"
}
trap stop_ours EXIT

tree=$(bash qemu/bench/build-root.sh) || { echo "kevlar bench: cannot build the benchmark tree" >&2; exit 1; }
bash qemu/busybox-initramfs.sh "$work/kevlar-shell.cpio" || exit 1
bash qemu/busybox-initramfs.sh --linux "$work/linux-shell.cpio" || exit 1
bench_args=(--scale "$scale")
[ -n "$filter" ] && bench_args+=(--filter "$filter")
mapfile -t names < <("$tree/syscall-bench" --list "${bench_args[@]}")
netbench=0
case ",$filter," in ,,|*,net,*) netbench=1 ;; esac
[ ${#names[@]} -gt 0 ] || [ "$netbench" = 1 ] || { echo "kevlar bench: --filter '$filter' names no benchmark" >&2; exit 2; }
csv=$out/runs.csv
rm -f "$out"/kevlar-*.log "$out"/linux-*.log
echo "kernel,run,benchmark,iterations,ns_per_op,error" > "$csv"
kernels=(kevlar)
[ "$linux" = 1 ] && kernels+=(linux)
echo "kevlar bench: $runs run(s) of ${#names[@]} benchmark(s) at scale $scale, $smp CPUs, -accel tcg,thread=single, $(nproc) host cores"

# Nanoseconds from when QEMU wrote PIDFILE (its start) to now.
since_start() { # PIDFILE
  local now written
  now=$(date +%s%N)
  written=$(stat -c %.9Y "$1" 2>/dev/null) || { echo ""; return; }
  echo $(( now - ${written/./} ))
}

# One boot of KERNEL running the benchmark program; appends its rows to runs.csv.
bench_once() { # KERNEL RUN
  local kernel=$1 run=$2 line first="" status seen=" " log=$work/bench-$1-$2.log pidfile=$work/bench-$1-$2.pid
  started+=("$pidfile")
  while IFS= read -r line; do
    line=${line%$'\r'}
    echo "$line" >> "$log"
    case $line in
      bench-start*) first=$(since_start "$pidfile") ;;
      "bench "*)
        read -r _ name iters ns <<< "$line"
        echo "$kernel,$run,$name,$iters,$ns," >> "$csv"; seen="$seen$name " ;;
      bench-error*)
        read -r _ name text <<< "$line"
        echo "$kernel,$run,$name,,,${text//,/;}" >> "$csv"; seen="$seen$name " ;;
    esac
  done < <(if [ "$kernel" = kevlar ]; then
             qemu/run-user.sh --smp "$smp" --single-thread --timeout 1200 --pidfile "$pidfile" --add "$tree" -- /syscall-bench "${bench_args[@]}" 2>&1
           else
             bash qemu/bench/linux-reference.sh --smp "$smp" --timeout 1200 --pidfile "$pidfile" --append quiet --tree "$tree" -- "${bench_args[@]}" 2>&1
           fi)
  wait $! 2>/dev/null; status=$?
  rm -f "$pidfile"
  if [ -n "$first" ]; then echo "$kernel,$run,boot-to-first-user-line,1,$first," >> "$csv"
  else echo "$kernel,$run,boot-to-first-user-line,,,the program printed nothing (status $status)" >> "$csv"; fi
  local name missing=0
  for name in "${names[@]}"; do
    case "$seen" in *" $name "*) ;; *) missing=$((missing + 1)); echo "$kernel,$run,$name,,,no line: the run ended early (status $status; log $out/$kernel-$run.log)" >> "$csv" ;; esac
  done
  cp "$log" "$out/$kernel-$run.log"
  echo "  $kernel run $run: $(grep -c '^bench ' "$log") benchmark(s), $(grep -c '^bench-error' "$log") error(s), $missing missing"
}

# QEMU start to BusyBox's "/ # " prompt on KERNEL, then that QEMU stopped by its pid.
prompt_once() { # KERNEL RUN
  local kernel=$1 run=$2 chunk tail found="" pidfile=$work/shell-$1-$2.pid
  started+=("$pidfile")
  while IFS= read -r -d '#' chunk; do
    tail=${chunk##*$'\n'}
    case $tail in *"/ ") found=$(since_start "$pidfile"); break ;; esac
  done < <(if [ "$kernel" = kevlar ]; then
             qemu/run-qemu.sh --smp "$smp" --single-thread --append quiet --initrd "$work/kevlar-shell.cpio" --pidfile "$pidfile" --timeout 120 2>&1
           else
             bash qemu/bench/linux-reference.sh --smp "$smp" --timeout 120 --append quiet --initrd "$work/linux-shell.cpio" --pidfile "$pidfile" 2>&1
           fi)
  stop_qemu "$pidfile"
  wait $! 2>/dev/null
  rm -f "$pidfile"
  if [ -n "$found" ]; then echo "$kernel,$run,boot-to-shell-prompt,1,$found," >> "$csv"
  else echo "$kernel,$run,boot-to-shell-prompt,,,no prompt within 120 s" >> "$csv"; fi
}

# One checked 10 MiB TCP transfer through virtio-net on KERNEL: DIRECTION is
# guest-to-host (the guest's bulk client sends) or host-to-guest (it fetches).
net_once() { # KERNEL RUN DIRECTION
  local kernel=$1 run=$2 direction=$3 port role server ms log=$work/net-$1-$2-$3.log
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ "$direction" = guest-to-host ]; then role=client server=server; else role=fetch server=serve; fi
  timeout 150 qemu/out/user/bulk "$server" "$port" > "$work/net-native.log" 2>&1 &
  local native=$!
  if [ "$kernel" = kevlar ]; then
    qemu/run-user.sh --smp "$smp" --single-thread --timeout 120 --guestfwd "tcp:10.0.2.100:80-tcp:127.0.0.1:$port" \
      --add qemu/out/user -- /bulk "$role" 10.0.2.100 80 > "$log" 2>&1
  else
    bash qemu/linux/oracle.sh --smp "$smp" --single-thread --guestfwd "tcp:10.0.2.100:80-tcp:127.0.0.1:$port" \
      qemu/out/user/bulk "$role" 10.0.2.100 80 > "$log" 2>&1
  fi
  wait "$native" 2>/dev/null
  ms=$(sed -n 's/^bulk: [0-9]* bytes in \([0-9]*\) ms.*/\1/p' "$log" | tail -1)
  if [ -n "$ms" ] && ! grep -q '^FAIL' "$log" "$work/net-native.log"; then
    echo "$kernel,$run,net-$direction,10,$(( ms * 100000 )).0," >> "$csv"
  else
    echo "$kernel,$run,net-$direction,,,the transfer failed (log $out/net-$kernel-$run-$direction.log)" >> "$csv"
  fi
  cp "$log" "$out/net-$kernel-$run-$direction.log"
}
[ "$netbench" = 1 ] && { bash qemu/user/build.sh >/dev/null || exit 1; }

for run in $(seq "$runs"); do
  for kernel in "${kernels[@]}"; do
    [ ${#names[@]} -gt 0 ] && bench_once "$kernel" "$run"
    [ -z "$filter" ] && prompt_once "$kernel" "$run"
    if [ "$netbench" = 1 ]; then net_once "$kernel" "$run" guest-to-host; net_once "$kernel" "$run" host-to-guest; fi
  done
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project qemu/bench/Kevlar.BenchReport -c Release -- "$csv" "$out"
report=$?
# Where the pinned pairs really ran (a kernel may accept an affinity it does not honour).
for kernel in "${kernels[@]}"; do
  grep -h '^bench-note' "$out/$kernel"-*.log 2>/dev/null | sort | uniq -c | sed "s/^ *\([0-9]*\) bench-note \(.*\)/note: $kernel \2 (\1 run(s))/"
done
[ "$extras" = 1 ] || exit $report

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
  done < <(qemu/run-qemu.sh --smp "$smp" --single-thread --append "kevlar.test=none" --timeout 60)
  echo "$first $online"
}

echo
echo "kernel figures ($smp CPUs, -accel tcg,thread=single unless said)"
firsts=() onlines=()
for i in $(seq 5); do
  read -r f o < <(boot_once)
  firsts+=("$f") onlines+=("$o")
done
echo "boot: QEMU start -> first kernel line: median $(printf '%s\n' "${firsts[@]}" | median) ms (runs: ${firsts[*]})"
echo "boot: QEMU start -> all CPUs online:   median $(printf '%s\n' "${onlines[@]}" | median) ms (runs: ${onlines[*]})"

log=$work/messaging.log
qemu/run-qemu.sh --smp "$smp" --single-thread --append "kevlar.test=ping-pong,message-storm" --timeout 600 > "$log"
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
pidfile=$work/idle.pid
started+=("$pidfile")
qemu/run-qemu.sh --smp "$smp" --timeout 30 --pidfile "$pidfile" > /dev/null 2>&1 &
idle_job=$!
sleep 4
if pid=$(cat "$pidfile" 2>/dev/null) && [ -n "$pid" ]; then
  ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  t0=$(ticks); sleep 5; t1=$(ticks)
  hz=$(getconf CLK_TCK)
  echo "idle: QEMU host CPU use with the kernel idle ($smp vCPUs, default MTTCG): $(( (t1 - t0) * 100 / (5 * hz) ))% of one core over 5 s"
else
  echo "idle: QEMU did not start"
fi
stop_qemu "$pidfile"
wait "$idle_job" 2>/dev/null
rm -f "$pidfile"

# The same machine running Linux (Debian's cloud kernel, a static musl /init):
# boot to the first kernel line and to init, and a pinned pipe ping-pong as the
# reference for the cross-CPU round trip.
if [ "$linux" = 1 ]; then
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
    done < <(bash qemu/bench/linux-reference.sh --smp "$smp" 2>/dev/null)
    lfirst+=("$f") linit+=("$n")
  done
  echo "linux: QEMU start -> first kernel line: median $(printf '%s\n' "${lfirst[@]}" | median) ms (runs: ${lfirst[*]})"
  echo "linux: QEMU start -> init running:      median $(printf '%s\n' "${linit[@]}" | median) ms (runs: ${linit[*]})"
  echo "linux: ${lping#linux-pingpong: }"
fi

echo "image: qemu/out/kernel.elf $(stat -c %s qemu/out/kernel.elf) bytes ($(size -A qemu/out/kernel.elf | awk '/^\.text/ {print $2}') bytes of text)"
exit $report
