#!/usr/bin/env bash
# Re-captures every data/ directory from QEMU 7.2: ACPI tables from SeaBIOS /
# qboot sitting with nothing to boot, and hvm_start_info from a PVH kernel
# (pvh.S) that halts at its entry with EBX intact. Needs qemu, binutils, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# monitor NAME QEMU-ARGS...: dumps 128 MiB of RAM to $tmp/NAME.bin, logs registers.
monitor() {
    local name=$1; shift
    { sleep 4; echo "info registers"; echo "pmemsave 0 0x8000000 \"$tmp/$name.bin\""; sleep 3; echo quit; } |
        timeout 60 qemu-system-x86_64 "$@" -m 128M -display none -monitor stdio -serial none -nic none \
            -no-reboot > "$tmp/$name.log" 2>&1
}
ebx() { grep -a -o 'EBX=[0-9a-f]*' "$tmp/$1.log" | head -1 | cut -d= -f2; }
fresh() { rm -rf "$data/$1"; mkdir -p "$data/$1"; }

for n in 4 1; do
    monitor pc$n -M pc -smp $n -boot order=n
    fresh qemu-pc-smp$n; python3 "$here/extract.py" "$tmp/pc$n.bin" "$data/qemu-pc-smp$n"
done
monitor microvm -M microvm,acpi=on -smp 4
fresh qemu-microvm-smp4; python3 "$here/extract.py" "$tmp/microvm.bin" "$data/qemu-microvm-smp4"

as --64 -o "$tmp/pvh.o" "$here/pvh.S"
ld -m elf_x86_64 -T "$here/link.ld" -o "$tmp/pvh.elf" "$tmp/pvh.o"
echo initrd-contents > "$tmp/initrd"
for m in pc microvm; do
    monitor pvh-$m -M $m -smp 4 -kernel "$tmp/pvh.elf" -append "console=ttyS0 kevlar.test=1" -initrd "$tmp/initrd"
    fresh pvh-$m-smp4; python3 "$here/extract.py" "$tmp/pvh-$m.bin" "$data/pvh-$m-smp4" "$(ebx pvh-$m)"
done
