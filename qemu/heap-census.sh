#!/usr/bin/env bash
# Names the types of a heap census (/proc/kevlar/heap, or lines of ./kevlar
# fuzz's "fuzz: heap:" summary) with the image's symbols: each MethodTable
# address becomes its type's name. Reads standard input, writes standard output.
#   heap-census.sh [kernel.elf] < census
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
elf=${1:-$root/qemu/out/kernel.elf}
awk -v names=<(nm "$elf" | awk '$3 ~ /^_ZTV/ { print $1, $3 }') '
  BEGIN { while ((getline l < names) > 0) { split(l, f, " "); a = f[1]; sub(/^0+/, "", a); n = f[2]; sub(/^_ZTV[0-9]+/, "", n); type["0x" tolower(a)] = n } }
  { for (i = 1; i <= NF; i++) if ($i ~ /^0x[0-9a-fA-F]+$/ && (tolower($i) in type)) $i = type[tolower($i)]; print }'
