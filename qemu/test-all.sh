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
  dotnet test "$p" -c Release --nologo --logger "console;verbosity=normal" > "$log" 2>&1
  status=$?
  summary=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+" "$log" | tail -1)
  if [ -z "$summary" ]; then
    echo "kevlar: $name did not run (exit $status); last lines:"
    tail -20 "$log"
    failed=$((failed + 1))
    continue
  fi
  f=$(echo "$summary" | sed -E 's/.*Failed: +([0-9]+).*/\1/')
  n=$(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  passed=$((passed + n)) failed=$((failed + f))
  echo "  $summary" | sed -E 's/, Duration.*//'
  if [ "$f" != 0 ] || [ $status != 0 ]; then
    grep -E "^\s+Failed |Error Message|Assert\." "$log" | head -40
    [ "$f" = 0 ] && failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
