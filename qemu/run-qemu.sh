#!/usr/bin/env bash
# Boots qemu/out/kernel.elf in QEMU with the serial console on stdout.
#   run-qemu.sh [--smp N] [--mem MB] [--append "kernel args"] [--timeout SECONDS]
#               [--single-thread] [--interactive] [--gdb | --gdb-socket PATH] [--kernel ELF]
#               [--machine pc|q35|microvm] [--initrd FILE] [--control FILE] [--stdin]
#               [--pidfile FILE] [--monitor SOCKET]
#               [--net|--no-net] [--fwd RULE]... [--guestfwd RULE]... [--netdev SPEC] [--mac MAC]
#               [--nic PROPERTIES]
# Exit status: 0 when the kernel reported success through isa-debug-exit
# (QEMU status 33), 1 when it reported failure (QEMU status 3), 124 on timeout,
# 4 when QEMU stopped without a verdict (a triple fault with -no-reboot),
# 5 when QEMU itself failed (its own status 1: a bad option or kernel file). --single-thread uses one TCG thread (for
# timings); the default multi-threaded TCG shakes out SMP races. --stdin passes
# this script's stdin to COM1 (what a test types) instead of /dev/null.
# --pidfile: QEMU writes its pid there, so a caller can stop this QEMU and no other.
# --monitor: QEMU's human monitor on a Unix socket (the profiler samples through it).
# --net: a virtio-net device on QEMU's user-mode network with restrict=on, so
# nothing leaves QEMU but the forwards: --fwd tcp:127.0.0.1:8080-:80 (hostfwd:
# a host port into the guest), --guestfwd tcp:10.0.2.100:80-tcp:127.0.0.1:8080
# (a guest address to a server on the host). --netdev SPEC: the device on
# another backend instead (socket,udp=...,localaddr=... joins two QEMUs).
# On the user network eth0 gets QEMU's guest address through the kernel's
# ip= (ip=10.0.2.15::10.0.2.2:255.255.255.0) unless --append gives one.
# --no-net takes the device away again (./kevlar boot gives one by default).
# --nic: more virtio-net-pci properties (vectors=0: no MSI-X, so INTx).
# KEVLAR_GC=MODE in the environment appends kevlar.gc=MODE (verify: every
# finished mark is checked, to run a whole suite against missed write barriers).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smp=4 mem=512 append="" timeout=0 accel=tcg interactive=0 gdb=() kernel=$root/qemu/out/kernel.elf machine=pc
initrd=() control=/dev/null stdin=/dev/null pidfile=() monitor=none
net=0 netdev="" mac=52:54:00:12:34:56 user_rules="" nic=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --single-thread) accel="tcg,thread=single"; shift ;;
    --interactive) interactive=1; shift ;;
    --gdb) gdb=(-s -S); shift ;;
    --gdb-socket) gdb=(-gdb "unix:$2,server,nowait" -S); shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --machine) machine=$2; shift 2 ;;
    --initrd) initrd=(-initrd "$2"); shift 2 ;;
    --control) control=$2; shift 2 ;;
    --stdin) stdin=/dev/stdin; shift ;;
    --pidfile) pidfile=(-pidfile "$2"); shift 2 ;;
    --monitor) monitor="unix:$2,server,nowait"; shift 2 ;;
    --net) net=1; shift ;;
    --no-net) net=0 user_rules=""; shift ;;
    --fwd) net=1; user_rules="$user_rules,hostfwd=$2"; shift 2 ;;
    --guestfwd) net=1; user_rules="$user_rules,guestfwd=$2"; shift 2 ;;
    --netdev) net=1; netdev=$2; shift 2 ;;
    --mac) mac=$2; shift 2 ;;
    --nic) nic=",$2"; shift 2 ;;
    *) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$kernel" ] || { echo "run-qemu.sh: $kernel missing; run ./kevlar build" >&2; exit 2; }
# microvm has ACPI (for the MADT) only when asked.
[ "$machine" = microvm ] && machine="microvm,acpi=on"
if [ -n "${KEVLAR_GC:-}" ] && [[ " $append" != *" kevlar.gc="* ]]; then append="$append kevlar.gc=$KEVLAR_GC"; fi
# SMEP and SMAP: the kernel turns them on where the CPU has them.
if [ "$net" = 1 ]; then
  [ -n "$netdev" ] || netdev="user,restrict=on$user_rules"
  if [[ "$netdev" == user,* ]] && [[ " $append" != *" ip="* ]]; then append="$append ip=10.0.2.15::10.0.2.2:255.255.255.0"; fi
  network=(-netdev "$netdev,id=net0" -device "virtio-net-pci,netdev=net0,mac=$mac$nic")
else
  network=(-net none)
fi
args=(-M "$machine" -cpu qemu64,+smep,+smap -accel "$accel" -smp "$smp" -m "$mem" -no-reboot "${network[@]}" -display none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$kernel" -append "$append" "${initrd[@]}" "${gdb[@]}" "${pidfile[@]}")
# COM1 is the console; COM2 the kernel's control channel to the host (exit status).
if [ "$interactive" = 1 ]; then
  args+=(-serial mon:stdio -serial "file:$control")
else
  args+=(-serial stdio -serial "file:$control" -monitor "$monitor")
fi
if [ "$timeout" != 0 ]; then
  timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" < "$stdin"
else
  qemu-system-x86_64 "${args[@]}"
fi
status=$?
case $status in
  33) exit 0 ;;
  3) exit 1 ;;
  1) echo "run-qemu.sh: QEMU failed (status 1) before the kernel gave a verdict" >&2; exit 5 ;;
  0) [ "$interactive" = 1 ] && exit 0
     echo "run-qemu.sh: QEMU exited without a verdict from the kernel (reset or triple fault?)" >&2; exit 4 ;;
  *) exit $status ;;
esac
