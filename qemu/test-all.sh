#!/usr/bin/env bash
# Runs every test project in turn (host xunit, Coyote, then QEMU) and ends with
# one plain line: 'N passed, N failed' over all of them. A project that does
# not build counts as one failed test. Expects the image to be built already.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0 failed=0
results=$(mktemp -d)
projects=$(ls tests/*/*Tests.csproj coyote-tests/*/*Tests.csproj qemu/*/*Tests.csproj 2>/dev/null)
for p in $projects; do
  name=$(basename "$p" .csproj)
  echo "kevlar: testing $name"
  log=$results/$name.log
  t0=$SECONDS
  dotnet test "$p" -c Release --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" > "$log" 2>&1
  status=$?
  trx=$results/$name.trx
  counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -1)
  if [ -z "$counters" ]; then
    echo "kevlar: $name did not run (exit $status); last lines:"
    tail -20 "$log"
    failed=$((failed + 1))
    continue
  fi
  n=$(echo "$counters" | sed -E 's/.* passed="([0-9]+)".*/\1/')
  f=$(echo "$counters" | sed -E 's/.* failed="([0-9]+)".*/\1/')
  passed=$((passed + n)) failed=$((failed + f))
  echo "  $n passed, $f failed ($((SECONDS - t0)) s)"
  if [ "$f" != 0 ] || [ $status != 0 ]; then
    # Each failure's name and the first lines of its message.
    awk '/^  Failed /{n=9} n>0{print; n--; if (/Stack Trace/) n=0}' "$log" | head -60
    [ "$f" = 0 ] && failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
