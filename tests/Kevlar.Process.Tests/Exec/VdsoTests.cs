// VdsoTests: the vDSO as exec maps it — TryCreate takes only an ELF64 shared
// object whose loadable segments sit at their file offsets (the kernel maps
// the file as it is) and a one-page [vvar]; exec maps [vvar] read-only and
// [vdso] read+execute right above it, with the bytes in, and AT_SYSINFO_EHDR
// points at the image; without a vDSO, AT_SYSINFO_EHDR is 0 and nothing is
// mapped there. (qemu/user/time/vdso.c runs the real one, on Linux too.)
using System.Buffers.Binary;
using Kevlar.Process.Exec;
using Kevlar.Process.Memory;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests.Exec;

public class VdsoTests
{
    // A 64-byte ELF64 header and one PT_LOAD over the whole file, at offset = address = 0.
    private static byte[] Image(int length = 600, ushort type = 3, ulong vaddr = 0, ulong memSize = 0)
    {
        var b = new byte[length];
        b[0] = 0x7F; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F'; b[4] = 2; b[5] = 1; b[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), type);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(32), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(56), 1);
        Span<byte> ph = b.AsSpan(64, 56);
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(ph.Slice(16), vaddr);
        BinaryPrimitives.WriteUInt64LittleEndian(ph.Slice(32), (ulong)length);
        BinaryPrimitives.WriteUInt64LittleEndian(ph.Slice(40), memSize == 0 ? (ulong)length : memSize);
        for (int i = 200; i < length; i++) b[i] = (byte)i;
        return b;
    }

    private static byte[] Vvar()
    {
        var v = new byte[4096];
        v[0] = 0x76;
        v[4095] = 0x99;
        return v;
    }

    [Fact]
    public void TryCreate_TakesASharedObjectMappedAsItIs_AndRefusesTheRest()
    {
        Assert.NotNull(Vdso.TryCreate(Image(), Vvar()));
        Assert.Null(Vdso.TryCreate(Image(type: 2), Vvar()));             // ET_EXEC
        Assert.Null(Vdso.TryCreate(Image(vaddr: 0x1000), Vvar()));       // needs relocating
        Assert.Null(Vdso.TryCreate(Image(memSize: 0x2000), Vvar()));     // a bss to zero
        Assert.Null(Vdso.TryCreate(Image(length: Vdso.MaxImageBytes + 1), Vvar()));
        Assert.Null(Vdso.TryCreate(Image(), new byte[100]));
        byte[] notElf = Image();
        notElf[1] = (byte)'X';
        Assert.Null(Vdso.TryCreate(notElf, Vvar()));
        byte[] shortHeaders = Image()[..100];                              // the program header runs past the end
        Assert.Null(Vdso.TryCreate(shortHeaders, Vvar()));
    }

    [Fact]
    public void Exec_MapsVvarAndVdso_AndAdvertisesTheImage()
    {
        UserProcess p = new ProcessHarness().NewProcess();
        byte[] image = Image();
        p.Host.Vdso = Vdso.TryCreate(image, Vvar());

        Assert.Equal(0, ExecLoader.Load(p.MainThread, "/bin/prog", "/bin/prog", ElfFileBuilder.Minimal().Build(), new[] { new byte[] { (byte)'p' } }, new byte[0][]));

        MemoryRegion vvar = p.Memory.Find(Vdso.VvarAddress)!, vdso = p.Memory.Find(Vdso.ImageAddress)!;
        Assert.Equal(("[vvar]", Vdso.VvarAddress, Vdso.ImageAddress, PageProtection.Read), (vvar.Name, vvar.Start, vvar.End, vvar.Protection));
        Assert.Equal(("[vdso]", Vdso.ImageAddress, Vdso.ImageAddress + 4096, PageProtection.Read | PageProtection.Execute),
            (vdso.Name, vdso.Start, vdso.End, vdso.Protection));
        Assert.Equal(Vvar(), Get(p, Vdso.VvarAddress, 4096));
        Assert.Equal(image, Get(p, Vdso.ImageAddress, image.Length));
        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal(Vdso.ImageAddress, stack.AuxvValue(AuxvType.AT_SYSINFO_EHDR));
    }

    [Fact]
    public void Exec_WithoutAVdso_AdvertisesNone()
    {
        UserProcess p = new ProcessHarness().NewProcess();

        Assert.Equal(0, ExecLoader.Load(p.MainThread, "/bin/prog", "/bin/prog", ElfFileBuilder.Minimal().Build(), new[] { new byte[] { (byte)'p' } }, new byte[0][]));

        Assert.Null(p.Memory.Find(Vdso.VvarAddress));
        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal(0UL, stack.AuxvValue(AuxvType.AT_SYSINFO_EHDR));
    }
}
