// kevlar-stubgen OUT.o [VDSO.so]: lays out the stub blob (PVH entry at the
// link base, interrupt stubs, runtime stubs, the AP trampoline image, the
// vDSO's bytes) and writes it with the PVH ELF note as an ELF relocatable object.
using Kevlar.StubGen;

if (args.Length != 1 && args.Length != 2)
{
    Console.Error.WriteLine("usage: Kevlar.StubGen OUT.o [VDSO.so]");
    return 2;
}
File.WriteAllBytes(args[0], StubBuilder.Build(args.Length == 2 ? File.ReadAllBytes(args[1]) : new byte[0]));
return 0;
