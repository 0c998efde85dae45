#!/usr/bin/env bash
# The Linux reference for `./kevlar bench`: fetches Debian's cloud kernel
# package (extracted, not installed), builds qemu/bench/linux-pingpong.c with
# musl-gcc -static as /init of an initramfs, and boots it on the same QEMU
# machine and accelerator the Kevlar figures use. Prints the serial log;
# bench.sh times its lines. Everything lands in qemu/out/linux/.
#   linux-reference.sh SMP [QEMU ACCEL] [INIT.c]   (INIT.c defaults to linux-pingpong.c)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smp=${1:-4}
accel=${2:-tcg,thread=single}
source=${3:-$root/qemu/bench/linux-pingpong.c}
name=$(basename "$source" .c)
out=$root/qemu/out/linux
mkdir -p "$out"
if ! ls "$out"/vmlinuz-* >/dev/null 2>&1; then
  pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$pkg" ] || { apt-get update -qq >/dev/null; pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
  (cd "$out" && apt-get download -qq "$pkg" 2>/dev/null && dpkg-deb --fsys-tarfile "$pkg"_*.deb | tar -x --wildcards --strip-components=2 './boot/vmlinuz-*' && rm -f "$pkg"_*.deb)
fi
kernel=$(ls "$out"/vmlinuz-* | head -1)
initramfs=$out/$name.cpio
if [ ! -f "$initramfs" ] || [ "$source" -nt "$initramfs" ]; then
  rm -rf "$out/root" && mkdir -p "$out/root"
  musl-gcc -static -O2 -pthread -o "$out/root/init" "$source"
  (cd "$out/root" && echo init | cpio -o -H newc --quiet) > "$initramfs"
fi
timeout --foreground 120 qemu-system-x86_64 -M pc -accel "$accel" -smp "$smp" -m 512 -no-reboot -net none \
  -display none -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel "$kernel" -initrd "$initramfs" -append "console=ttyS0 panic=-1" < /dev/null || true
