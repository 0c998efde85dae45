// ElfFileBuilder: writes small synthetic ELF64 executables, valid by default,
// whose header fields and program headers a test can bend one at a time.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Process.Exec;

namespace Kevlar.Process.Tests.Support;

public sealed class ElfFileBuilder
{
    public record struct Phdr(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, ulong Alignment);

    public byte Class = ElfConstants.ELFCLASS64;
    public byte Data = ElfConstants.ELFDATA2LSB;
    public ushort Type = ElfConstants.ET_EXEC;
    public ushort Machine = ElfConstants.EM_X86_64;
    public ushort ProgramHeaderEntrySize = ElfConstants.Elf64PhdrSize;
    public ushort? ProgramHeaderCountOverride;
    public ulong ProgramHeaderOffset = ElfConstants.Elf64EhdrSize;
    public ulong Entry = 0x401000;
    public int FileLength = 0x3000;
    public List<Phdr> Headers { get; } = new();
    /// <summary>Bytes written into the file at a given offset after the headers (an interpreter path, say).</summary>
    public List<(int Offset, byte[] Bytes)> Blobs { get; } = new();

    /// <summary>Headers and rodata at 0x400000 (R), code at 0x401000 (R E), data and bss at 0x402000 (RW).</summary>
    public static ElfFileBuilder Minimal()
    {
        var b = new ElfFileBuilder();
        b.Headers.Add(Load(ElfConstants.PF_R, 0, 0x400000, 0x1000, 0x1000));
        b.Headers.Add(Load(ElfConstants.PF_R | ElfConstants.PF_X, 0x1000, 0x401000, 0x1000, 0x1000));
        b.Headers.Add(Load(ElfConstants.PF_R | ElfConstants.PF_W, 0x2000, 0x402000, 0x800, 0x3000));
        return b;
    }

    public static Phdr Load(uint flags, ulong offset, ulong vaddr, ulong filesz, ulong memsz) =>
        new(ElfConstants.PT_LOAD, flags, offset, vaddr, filesz, memsz, 0x1000);

    /// <summary>Adds a PT_INTERP whose bytes are <paramref name="path"/> as given (add the NUL yourself) at file offset 0x800.</summary>
    public ElfFileBuilder WithInterpreter(string path, ulong? fileSize = null)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(path);
        Blobs.Add((0x800, bytes));
        Headers.Add(new Phdr(ElfConstants.PT_INTERP, ElfConstants.PF_R, 0x800, 0x400800, fileSize ?? (ulong)bytes.Length, fileSize ?? (ulong)bytes.Length, 1));
        return this;
    }

    public byte[] Build()
    {
        var file = new byte[FileLength];
        Encoding.ASCII.GetBytes("\u007fELF").CopyTo(file, 0);
        file[4] = Class;
        file[5] = Data;
        file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), Entry);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), ProgramHeaderOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(52), ElfConstants.Elf64EhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), ProgramHeaderEntrySize);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), ProgramHeaderCountOverride ?? (ushort)Headers.Count);
        // A table placed (partly) outside the file is written only where it fits.
        for (int i = 0; i < Headers.Count; i++)
        {
            ulong at = ProgramHeaderOffset + (ulong)(i * ElfConstants.Elf64PhdrSize);
            if (at >= ProgramHeaderOffset && at <= (ulong)(FileLength - ElfConstants.Elf64PhdrSize))
                WriteHeader(file.AsSpan((int)at), Headers[i]);
        }
        foreach (var (offset, bytes) in Blobs)
            bytes.CopyTo(file, offset);
        return file;
    }

    private static void WriteHeader(Span<byte> d, Phdr h)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, h.Type);
        BinaryPrimitives.WriteUInt32LittleEndian(d.Slice(4), h.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(8), h.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(16), h.VirtualAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(24), h.VirtualAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(32), h.FileSize);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(40), h.MemorySize);
        BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(48), h.Alignment);
    }
}
