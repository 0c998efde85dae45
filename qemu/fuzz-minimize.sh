#!/usr/bin/env bash
# ./kevlar fuzz --minimize FILE: shrinks a kept fuzz failure
# (qemu/out/fuzz/failure-*.txt) to the few calls of one worker that still fail
# the same way (the same status: 99 panic, 124 no answer, 1 hang, 3 leak),
# each try a fresh boot on one CPU:
#   1. the worker: generations whose pids the report names (a panic's recent
#      syscalls, a hang's line) are run alone (fuzz.c --generation), newest
#      first, then every generation started, newest first, up to 16 tries;
#   2. the prefix: the fewest first calls of that worker that still fail;
#   3. ddmin (Zeller's delta debugging) over those calls: drop chunks, then
#      complements, halving the chunk size, until no single call can go.
# A failure that needs several workers at once shrinks to nothing here and is
# said so. The result goes to qemu/out/fuzz/minimized-<seed>.txt: the command
# that reproduces it and the calls with their arguments (--print-calls).
#   fuzz-minimize.sh FILE [--tries N]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
file=${1:?usage: fuzz-minimize.sh FILE [--tries N]}
tries=16
[ "${2:-}" = --tries ] && tries=$3
[ -f "$file" ] || { echo "kevlar fuzz: no file $file" >&2; exit 2; }
status="" seed="" pick="" append=""
# shellcheck disable=SC1090
eval "$(grep -E '^(status|seed|pick|append)=' "$file")"
[ -n "$status" ] && [ -n "$seed" ] || { echo "kevlar fuzz: $file has no status= or seed= line" >&2; exit 2; }
out=$root/qemu/out/fuzz
boots=0

# Runs worker generation $1 alone with calls $2 ("" all) on one CPU: true when it fails with $status.
fails() {
  local args=(--smp 1 --seed "$seed" --generation "$1")
  [ -n "$2" ] && args+=(--keep "$2")
  [ -n "$pick" ] && args+=("${pick%% *}" "${pick#* }")
  [ -n "$append" ] && args+=(--append "$append")
  boots=$((boots + 1))
  bash qemu/fuzz.sh "${args[@]}" > "$out/minimize-try.log" 2>&1
  [ "$?" = "$status" ]
}

# The indices "$@" as a --keep list: runs of consecutive indices as ranges.
ranges() {
  local list="" from="" to=""
  for i in "$@"; do
    if [ -n "$to" ] && [ "$i" = $((to + 1)) ]; then to=$i; continue; fi
    [ -n "$from" ] && list+="${list:+,}$from$([ "$from" != "$to" ] && echo "-$to")"
    from=$i to=$i
  done
  [ -n "$from" ] && list+="${list:+,}$from$([ "$from" != "$to" ] && echo "-$to")"
  echo "$list"
}

# 1. The worker (the console's lines end in CR LF).
log=$(tr -d '\r' < "$file")
log_pids=$(grep -oE 'pid [0-9]+ tid|\[[0-9]+ \(' <<< "$log" | grep -oE '[0-9]+' | tac | awk '!seen[$0]++')
named=$(for p in $log_pids; do sed -n "s/^fuzz: worker $p gen \([0-9]*\)$/\1/p" <<< "$log" | tail -1; done)
all=$(sed -n 's/^fuzz: worker [0-9]* gen \([0-9]*\)$/\1/p' <<< "$log" | tac)
candidates=$(printf '%s\n' $named $all | awk 'NF && !seen[$0]++' | head -n "$tries")
gen=""
for g in $candidates; do
  echo "kevlar fuzz: minimize: worker generation $g alone..."
  if fails "$g" ""; then gen=$g; break; fi
done
if [ -z "$gen" ]; then
  echo "kevlar fuzz: minimize: no worker fails alone (status $status) in $boots boots: the failure needs several at once; replay it with ./kevlar fuzz --replay $file" >&2
  exit 1
fi

# 2. The prefix: the fewest first calls that still fail (2000 fail: WORKER_CALLS in fuzz.c).
lo=1 hi=2000
while [ "$lo" -lt "$hi" ]; do
  mid=$(((lo + hi) / 2))
  if fails "$gen" "0-$((mid - 1))"; then hi=$mid; else lo=$((mid + 1)); fi
done
calls=($(seq 0 $((hi - 1))))
echo "kevlar fuzz: minimize: generation $gen fails within its first $hi calls ($boots boots so far)"

# 3. ddmin over those calls.
n=2
while [ "${#calls[@]}" -ge 2 ]; do
  size=$(((${#calls[@]} + n - 1) / n))
  reduced=0
  for ((c = 0; c < ${#calls[@]}; c += size)); do
    chunk=("${calls[@]:c:size}")
    if fails "$gen" "$(ranges "${chunk[@]}")"; then calls=("${chunk[@]}"); n=2; reduced=1; break; fi
  done
  # With two chunks each complement is the other chunk, tried already.
  if [ "$reduced" = 0 ] && [ "$n" -gt 2 ]; then
    for ((c = 0; c < ${#calls[@]}; c += size)); do
      rest=("${calls[@]:0:c}" "${calls[@]:c+size}")
      if [ "${#rest[@]}" -gt 0 ] && fails "$gen" "$(ranges "${rest[@]}")"; then calls=("${rest[@]}"); n=$((n > 2 ? n - 1 : 2)); reduced=1; break; fi
    done
  fi
  if [ "$reduced" = 0 ]; then
    [ "$n" -ge "${#calls[@]}" ] && break
    n=$((2 * n > ${#calls[@]} ? ${#calls[@]} : 2 * n))
  fi
  echo "kevlar fuzz: minimize: ${#calls[@]} calls left ($boots boots)"
done

keep=$(ranges "${calls[@]}")
result=$out/minimized-$seed.txt
args=(--smp 1 --seed "$seed" --generation "$gen" --keep "$keep" --print-calls)
[ -n "$pick" ] && args+=("${pick%% *}" "${pick#* }")
[ -n "$append" ] && args+=(--append "$append")
bash qemu/fuzz.sh "${args[@]}" > "$out/minimize-try.log" 2>&1
final=$?
{
  echo "# kevlar fuzz: minimized $file (status $status) to ${#calls[@]} calls of worker generation $gen in $((boots + 1)) boots"
  printf '# reproduce: ./kevlar fuzz'; printf ' %q' "${args[@]}"; echo
  echo "# the calls (fuzz.c --print-calls; the last run's status was $final):"
  tr -d '\r' < "$out/minimize-try.log" | grep -E '^fuzz: call '

} > "$result"
cat "$result"
[ "$final" = "$status" ] || { echo "kevlar fuzz: minimize: the last run did not fail again (status $final): flaky" >&2; exit 1; }
