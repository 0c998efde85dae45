#!/usr/bin/env bash
# Builds every qemu/user/<area>/<name>.c into qemu/out/user/<name> with
# `musl-gcc -static -O2 -pthread`; a program is rebuilt only when its source,
# check.h or a header beside it is newer than its output. Names must be unique across areas.
# Exits non-zero when a program does not compile (its errors on stderr).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/qemu/user out=$root/qemu/out/user
mkdir -p "$out"
command -v musl-gcc >/dev/null || { echo "qemu/user/build.sh: musl-gcc is missing (apt-get install musl-tools)" >&2; exit 1; }
status=0 built=0 seen=" "
for c in "$src"/*/*.c; do
  name=$(basename "$c" .c)
  case "$seen" in *" $name "*) echo "qemu/user/build.sh: two programs are named $name" >&2; exit 1 ;; esac
  seen="$seen$name "
  bin=$out/$name
  fresh=1
  for dep in "$c" "$src/check.h" "$(dirname "$c")"/*.h; do
    [ -f "$dep" ] && ! [ "$bin" -nt "$dep" ] && fresh=0
  done
  if [ -f "$bin" ] && [ "$fresh" = 1 ]; then continue; fi
  if musl-gcc -static -O2 -pthread -Wall -Wextra -Werror -o "$bin.tmp" "$c"; then
    mv "$bin.tmp" "$bin"; built=$((built + 1))
  else
    rm -f "$bin.tmp"; echo "qemu/user/build.sh: $c does not compile" >&2; status=1
  fi
done
# Bad executables for execbad (robustness/execbad.c), each marked executable: ELF magic with
# a broken header, plain bytes, and an ELF header for another machine (EM_AARCH64 = 183).
if [ ! -f "$out/arm64.elf" ]; then
  printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\377\377garbage-after-a-broken-header' > "$out/malformed.elf"
  printf 'these are plain bytes, not a program\n' > "$out/not-an-executable"
  { printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000\001\000\000\000'; head -c 40 /dev/zero; } > "$out/arm64.elf"
  chmod 755 "$out/malformed.elf" "$out/not-an-executable" "$out/arm64.elf"
fi
[ "$built" -gt 0 ] && echo "qemu/user/build.sh: built $built program(s) in qemu/out/user"
exit $status
