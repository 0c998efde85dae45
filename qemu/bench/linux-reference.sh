#!/usr/bin/env bash
# The Linux reference for `./kevlar bench`: fetches Debian's cloud kernel
# package (extracted, not installed) into qemu/out/linux/ and boots it on the
# same QEMU machine and accelerator the Kevlar figures use, printing the
# serial log for qemu/bench.sh to time.
#   linux-reference.sh [--smp N] [--accel A] [--timeout S] [--pidfile FILE]
#                      [--append ARGS] [--tree DIR | --initrd CPIO | --init C-FILE]
#                      [-- INIT-ARGS...]
# --tree DIR: an initramfs of DIR whose /init is DIR/syscall-bench (the
# benchmark tree of qemu/bench/build-root.sh); --initrd CPIO: that initramfs
# as it is (its own /init); --init C-FILE (the default,
# qemu/bench/linux-pingpong.c): that program built with musl-gcc -static as
# /init. INIT-ARGS go to /init's command line. --pidfile: QEMU writes its pid
# there, so the caller can stop this QEMU and no other. Exits with QEMU's
# status (33 when /init reported success through isa-debug-exit).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smp=4 accel=tcg,thread=single timeout=120 pidfile=() append="" tree="" initrd="" source=$root/qemu/bench/linux-pingpong.c
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --pidfile) pidfile=(-pidfile "$2"); shift 2 ;;
    --append) append=$2; shift 2 ;;
    --tree) tree=$2; shift 2 ;;
    --initrd) initrd=$2; shift 2 ;;
    --init) source=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "linux-reference.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$root/qemu/out/linux
mkdir -p "$out"
kernel=$(bash "$root/qemu/linux/kernel.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$tree" ]; then
  cp -a "$tree/." "$work/" && ln -sfn syscall-bench "$work/init"
  initrd=$out/bench.cpio
  (cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$initrd"
elif [ -z "$initrd" ]; then
  name=$(basename "$source" .c)
  initrd=$out/$name.cpio
  if [ ! -f "$initrd" ] || [ "$source" -nt "$initrd" ]; then
    musl-gcc -static -O2 -pthread -o "$work/init" "$source" || exit 2
    (cd "$work" && echo init | cpio -o -H newc --quiet) > "$initrd"
  fi
fi
args=("$@")
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 -M pc -accel "$accel" -smp "$smp" -m 512 -no-reboot -net none \
  -display none -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${pidfile[@]}" \
  -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 panic=-1 $append${args:+ -- ${args[*]}}" < /dev/null
