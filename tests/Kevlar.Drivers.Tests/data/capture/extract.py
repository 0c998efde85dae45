# Cuts the regions the parser tests need out of a QEMU RAM dump
# (monitor: pmemsave 0 0x8000000 "ram.bin"), one file per region named
# <what>@<hex physical address>.bin.
# usage: extract.py RAM OUTDIR [EBX]   (EBX: hvm_start_info address of a PVH boot)
import struct, sys

ram = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
ebx = int(sys.argv[3], 16) if len(sys.argv) > 3 else None

def save(name, addr, n):
    open("%s/%s@%08x.bin" % (out, name, addr), 'wb').write(ram[addr:addr + n])

def find_rsdp():
    for a in range(0xE0000, 0x100000, 16):
        if ram[a:a + 8] == b'RSD PTR ' and sum(ram[a:a + 20]) & 0xff == 0:
            return a
    raise SystemExit("no RSDP")

if ebx is not None:
    magic, ver, flags, nmod, modl, cmdl, rsdp, mm, mmn, res = struct.unpack_from('<IIIIQQQQII', ram, ebx)
    save('startinfo', ebx, 56)
    save('memmap', mm, 24 * mmn)
    save('modlist', modl, 32 * nmod)
    save('cmdline', cmdl, ram.index(b'\0', cmdl) - cmdl + 1)
else:
    rsdp = find_rsdp()

rev = ram[rsdp + 15]
save('rsdp', rsdp, 36 if rev >= 2 else 20)
tables = []

def table(a):
    ln = struct.unpack_from('<I', ram, a + 4)[0]
    tables.append((a, ln))
    return ram[a:a + 4], ln

if rev >= 2:
    root, width = struct.unpack_from('<Q', ram, rsdp + 24)[0], 8
else:
    root, width = struct.unpack_from('<I', ram, rsdp + 16)[0], 4
sig, ln = table(root)
for i in range((ln - 36) // width):
    a = struct.unpack_from('<Q' if width == 8 else '<I', ram, root + 36 + width * i)[0]
    s, l = table(a)
    if s == b'FACP':
        facs, dsdt = struct.unpack_from('<II', ram, a + 36)
        if dsdt:
            table(dsdt)
        if facs:
            table(facs)
lo = min(t[0] for t in tables)
hi = max(t[0] + t[1] for t in tables)
save('tables', lo, hi - lo)
