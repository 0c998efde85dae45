// kevlar-stubgen OUT.o: lays out the stub blob (PVH entry at the link base,
// interrupt stubs, runtime stubs, the AP trampoline image) and writes it with
// the PVH ELF note as an ELF relocatable object.
using Kevlar.StubGen;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Kevlar.StubGen OUT.o");
    return 2;
}
File.WriteAllBytes(args[0], StubBuilder.Build());
return 0;
