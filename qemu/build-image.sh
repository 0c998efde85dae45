#!/usr/bin/env bash
# Builds qemu/out/kernel.elf: C# -> IL (three assemblies: Kevlar.Kernel, the
# system module with corlib, runtime and drivers; Kevlar.Process, the actors,
# without unsafe code; Kevlar.Image, start-up and self-tests), IL -> kernel.o
# (NuGet ILCompiler, bflat-style, with -g: DWARF line info from the PDBs, so
# gdb shows C# files and lines), stubs.o (Iced generator), then ld with
# qemu/image/kernel.ld. Quiet unless something fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/qemu/out
mkdir -p "$out"
log=$out/build.log
: > "$log"
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
ilc=${KEVLAR_ILC:-$packages/runtime.linux-x64.microsoft.dotnet.ilcompiler/10.0.12/tools/ilc}

step() { echo "$*" >> "$log"; "$@" >> "$log" 2>&1 || { echo "build failed: $*" >&2; tail -40 "$log" >&2; exit 1; }; }

step dotnet build "$root/qemu/image/startup/Kevlar.Image.csproj" -c Release -o "$out/il" --nologo -v q
[ -x "$ilc" ] || { echo "build failed: ilc not found at $ilc after restore" >&2; exit 1; }
step dotnet build "$root/drivers/x86_64/StubGen/Kevlar.StubGen.csproj" -c Release -o "$out/stubgen" --nologo -v q
step "$ilc" "$out/il/Kevlar.Kernel.dll" "$out/il/Kevlar.Process.dll" "$out/il/Kevlar.Image.dll" --systemmodule:Kevlar.Kernel --targetos:linux --targetarch:x64 \
    -O -g --nativelib --map:"$out/kernel.map.xml" -o "$out/kernel.o"
# The vDSO (drivers/x86_64/Vdso): a position-independent ELF with no relocations, carried in stubs.o.
vdso=$root/drivers/x86_64/Vdso
step gcc -O2 -fPIC -shared -nostdlib -fno-stack-protector -fno-builtin -ffreestanding -Wall -Wextra -Werror \
    -Wl,-T,"$vdso/vdso.lds" -Wl,--version-script="$vdso/vdso.map" -Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=both \
    -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-Bsymbolic -Wl,--eh-frame-hdr -o "$out/vdso.so" "$vdso/vdso.c"
step dotnet "$out/stubgen/Kevlar.StubGen.dll" "$out/stubs.o" "$out/vdso.so"
step ld -static -nostdlib -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
    -T "$root/qemu/image/kernel.ld" -o "$out/kernel.elf" "$out/stubs.o" "$out/kernel.o"
