#!/usr/bin/env bash
# Prints the directory holding the modules Debian's cloud kernel needs for a
# virtio-net device (virtio, virtio_ring, virtio_pci and its two transports,
# failover, net_failover, virtio_net: all =m in that kernel), named
# NN-name.ko in an order that loads (qemu/linux/oracle-init.c loads them in
# name order). Fetched once with apt-get download from the same package as
# qemu/linux/kernel.sh's image, into qemu/out/linux/modules/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/qemu/out/linux/modules
kernel=$(bash "$root/qemu/linux/kernel.sh")
version=${kernel##*/vmlinuz-}
order="virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"
if [ ! -f "$out/08-virtio_net.ko" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq "linux-image-$version" 2>/dev/null && dpkg-deb --fsys-tarfile linux-image-"$version"_*.deb | tar -x --wildcards './lib/modules/*/kernel/drivers/virtio/*.ko' './lib/modules/*/kernel/drivers/net/*failover.ko' './lib/modules/*/kernel/drivers/net/virtio_net.ko' './lib/modules/*/kernel/net/core/failover.ko')
  mkdir -p "$out"
  n=1
  for m in $order; do
    f=$(find "$work/lib/modules" -name "$m.ko" | head -1)
    [ -n "$f" ] || { echo "qemu/linux/modules.sh: $m.ko is not in linux-image-$version" >&2; exit 1; }
    cp "$f" "$out/0$n-$m.ko"
    n=$((n + 1))
  done
fi
echo "$out"
