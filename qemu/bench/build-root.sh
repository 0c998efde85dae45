#!/usr/bin/env bash
# Builds the tree both kernels run the benchmarks from (qemu/out/bench/root
# unless told otherwise), the same static binaries for each:
#   /syscall-bench      qemu/bench/syscall-bench.c (musl-gcc -static -O2 -pthread)
#   /bench-true         qemu/bench/true.c, what vfork-execve runs
#   /bench-files.tar    500 small files (ustar), what tar-extract-500 unpacks
#   /bin/busybox        the host's static BusyBox, with links for the applets
#                       the shell-pipeline and tar benchmarks run
# Rebuilds only what is older than its source. Prints the tree's path.
#   build-root.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:-$root/qemu/out/bench/root}
src=$root/qemu/bench
mkdir -p "$tree/bin" "$tree/tmp"
chmod 1777 "$tree/tmp"
build() { # OUT SOURCE FLAGS...
  local out=$1 source=$2; shift 2
  [ -x "$out" ] && [ "$out" -nt "$source" ] && return 0
  musl-gcc -static -O2 -Wall -Wextra -Werror "$@" -o "$out.tmp" "$source" && mv "$out.tmp" "$out"
}
build "$tree/syscall-bench" "$src/syscall-bench.c" -pthread
build "$tree/bench-true" "$src/true.c"
if [ ! -f "$tree/bench-files.tar" ]; then
  files=$(mktemp -d)
  mkdir "$files/files"
  for i in $(seq 0 499); do printf 'file %d of the tar benchmark\n' "$i" > "$files/files/$i"; done
  tar --format=ustar --owner=0 --group=0 -C "$files" -cf "$tree/bench-files.tar.tmp" files
  mv "$tree/bench-files.tar.tmp" "$tree/bench-files.tar"
  rm -rf "$files"
fi
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=$(command -v busybox)
[ "$tree/bin/busybox" -nt "$busybox" ] || cp "$busybox" "$tree/bin/busybox"
for applet in sh seq sort uniq wc tar echo; do ln -sfn busybox "$tree/bin/$applet"; done
echo "$tree"
