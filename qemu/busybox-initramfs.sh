#!/usr/bin/env bash
# Builds the initramfs `./kevlar boot` starts: the host's static BusyBox as
# /bin/busybox with a symlink per applet (in /bin, or /sbin for the system
# ones), BusyBox init as PID 1 (/init), and an /etc/inittab that runs a login
# shell on /dev/ttyS0 — opened by a session leader, so it becomes the shell's
# controlling terminal and the shell has job control. /etc/passwd and
# /etc/group name root. --linux: for Linux's kernel (qemu/bench.sh's
# reference), which gives an initramfs no /dev: init mounts devtmpfs first.
#   busybox-initramfs.sh [--linux] OUT.cpio
set -euo pipefail
linux=0
[ "${1:-}" = --linux ] && { linux=1; shift; }
out=${1:?usage: busybox-initramfs.sh [--linux] OUT.cpio}
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=$(command -v busybox)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/root
mkdir -p "$tree"/{bin,sbin,etc,dev,proc,sys,tmp,root}
chmod 1777 "$tree/tmp"
cp "$busybox" "$tree/bin/busybox"
for applet in $("$busybox" --list-full); do
  case "$applet" in
    sbin/*|usr/sbin/*) dir=sbin ;;
    *) dir=bin ;;
  esac
  name=${applet##*/}
  [ -e "$tree/$dir/$name" ] || ln -s /bin/busybox "$tree/$dir/$name"
done
ln -s /bin/busybox "$tree/init"
cat > "$tree/etc/fstab" <<'FSTAB'
proc    /proc    proc    defaults 0 0
sysfs   /sys     sysfs   defaults 0 0
devpts  /dev/pts devpts  defaults 0 0
tmpfs   /tmp     tmpfs   mode=1777 0 0
FSTAB
if [ "$linux" = 1 ]; then
  cat > "$tree/etc/inittab" <<'TAB'
::sysinit:/bin/mount -t devtmpfs devtmpfs /dev
::sysinit:/bin/mkdir -p /dev/pts
TAB
fi
cat >> "$tree/etc/inittab" <<'TAB'
::sysinit:/bin/mount -a
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
TAB
cat > "$tree/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
PW
cat > "$tree/etc/group" <<'GR'
root:x:0:
GR
cat > "$tree/etc/profile" <<'PROFILE'
export PS1='\w \$ '
PROFILE
(cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out"
