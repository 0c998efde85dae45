// ElfImage.Parse: reads and checks an executable before anything is mapped,
// following Linux fs/binfmt_elf.c load_elf_binary (and a little stricter:
// segments must lie inside the file and must not overlap). Every malformation
// gives -ENOEXEC; nothing here throws or reads outside the span.
using System;
using System.Buffers.Binary;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Exec;

public sealed partial class ElfImage
{
    /// <summary>
    /// Parses the whole file <paramref name="file"/>. Returns 0 and an image,
    /// or -ENOEXEC and null when the file is not a well-formed ELF64
    /// little-endian x86_64 ET_EXEC/ET_DYN executable: too short; bad magic,
    /// class or data encoding; other e_machine or e_type; e_phentsize != 56;
    /// more than 64 program headers or a table outside the file; no PT_LOAD;
    /// a PT_LOAD with filesz > memsz, file bytes outside the file, an end
    /// past 0x8000_0000_0000 (or overflowing), p_align not a power of two,
    /// p_vaddr and p_offset not congruent modulo the page size, or memory
    /// overlapping another PT_LOAD; a PT_INTERP outside the file, shorter
    /// than 2 or longer than PATH_MAX bytes, or not NUL-terminated.
    /// </summary>
    public static int TryParse(ReadOnlySpan<byte> file, out ElfImage? image)
    {
        image = null;
        if (!HasValidHeader(file))
            return -Errno.ENOEXEC;
        ElfProgramHeader[]? headers = ReadProgramHeaders(file);
        if (headers == null)
            return -Errno.ENOEXEC;
        ElfSegment[]? segments = CheckedSegments(headers, file.Length);
        if (segments == null)
            return -Errno.ENOEXEC;
        var result = new ElfImage(segments);
        if (!result.ReadOtherHeaders(file, headers))
            return -Errno.ENOEXEC;
        result.IsPositionIndependent = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(16)) == ElfConstants.ET_DYN;
        result.Entry = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(24));
        result.ProgramHeaderCount = headers.Length;
        result.SetAddressSpan();
        if (result.ProgramHeaderAddress == 0)
            result.ProgramHeaderAddress = LoadedProgramHeaderAddress(headers, BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(32)));
        image = result;
        return 0;
    }

    /// <summary>
    /// Elf64_Ehdr (64 bytes): e_ident[16] (magic, class, data), +16 u16 e_type,
    /// +18 u16 e_machine, +24 u64 e_entry, +32 u64 e_phoff, +54 u16 e_phentsize,
    /// +56 u16 e_phnum.
    /// </summary>
    private static bool HasValidHeader(ReadOnlySpan<byte> file)
    {
        if (file.Length < ElfConstants.Elf64EhdrSize)
            return false;
        if (file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            return false;
        if (file[ElfConstants.EI_CLASS] != ElfConstants.ELFCLASS64 || file[ElfConstants.EI_DATA] != ElfConstants.ELFDATA2LSB)
            return false;
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(16));
        if (type != ElfConstants.ET_EXEC && type != ElfConstants.ET_DYN)
            return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(18)) != ElfConstants.EM_X86_64)
            return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(54)) != ElfConstants.Elf64PhdrSize)
            return false;
        return BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(56)) <= ElfConstants.MaxProgramHeaders;
    }

    /// <summary>The e_phnum headers at e_phoff, or null when the table is not inside the file.</summary>
    private static ElfProgramHeader[]? ReadProgramHeaders(ReadOnlySpan<byte> file)
    {
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(32));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(56));
        ulong size = (ulong)count * ElfConstants.Elf64PhdrSize;
        if (offset > (ulong)file.Length || size > (ulong)file.Length - offset)
            return null;
        var headers = new ElfProgramHeader[count];
        for (int i = 0; i < count; i++)
            headers[i] = new ElfProgramHeader(file.Slice((int)offset + i * ElfConstants.Elf64PhdrSize));
        return headers;
    }

    /// <summary>The PT_LOAD headers as segments, or null when there is none or one fails a check.</summary>
    private static ElfSegment[]? CheckedSegments(ElfProgramHeader[] headers, int fileLength)
    {
        int count = 0;
        for (int i = 0; i < headers.Length; i++)
        {
            if (headers[i].Type != ElfConstants.PT_LOAD)
                continue;
            if (!IsValidLoad(headers[i], fileLength))
                return null;
            count++;
        }
        if (count == 0)
            return null;
        var segments = new ElfSegment[count];
        int next = 0;
        for (int i = 0; i < headers.Length; i++)
        {
            ElfProgramHeader h = headers[i];
            if (h.Type == ElfConstants.PT_LOAD)
                segments[next++] = new ElfSegment(h.VirtualAddress, h.MemorySize, h.Offset, h.FileSize, h.Flags, h.Alignment);
        }
        return AnyOverlap(segments) ? null : segments;
    }

    /// <summary>The per-segment checks of a PT_LOAD (see TryParse).</summary>
    private static bool IsValidLoad(ElfProgramHeader h, int fileLength)
    {
        const ulong pageMask = ElfConstants.ElfExecPageSize - 1;
        if (h.FileSize > h.MemorySize || !h.FitsInFile(fileLength))
            return false;
        if (h.MemorySize > ElfConstants.UserAddressLimit || h.VirtualAddress > ElfConstants.UserAddressLimit - h.MemorySize)
            return false;
        if (h.Alignment > 1 && (h.Alignment & (h.Alignment - 1)) != 0)
            return false;
        // mmap maps whole pages, so a file page must land on a memory page.
        return ((h.VirtualAddress - h.Offset) & pageMask) == 0;
    }

    /// <summary>True when two segments share a byte of memory (sharing a page is allowed).</summary>
    private static bool AnyOverlap(ElfSegment[] segments)
    {
        for (int i = 0; i < segments.Length; i++)
            for (int j = i + 1; j < segments.Length; j++)
            {
                ElfSegment a = segments[i];
                ElfSegment b = segments[j];
                if (a.MemorySize != 0 && b.MemorySize != 0 && a.VirtualAddress < b.EndAddress && b.VirtualAddress < a.EndAddress)
                    return true;
            }
        return false;
    }

    /// <summary>
    /// Takes PT_INTERP and PT_PHDR (the first of each, as Linux does),
    /// PT_GNU_STACK (the last, as Linux does) and PT_TLS. False when PT_INTERP
    /// is malformed.
    /// </summary>
    private bool ReadOtherHeaders(ReadOnlySpan<byte> file, ElfProgramHeader[] headers)
    {
        bool sawInterpreter = false, sawPhdr = false, sawTls = false;
        for (int i = 0; i < headers.Length; i++)
        {
            ElfProgramHeader h = headers[i];
            if (h.Type == ElfConstants.PT_INTERP && !sawInterpreter)
            {
                sawInterpreter = true;
                if (!ReadInterpreter(file, h))
                    return false;
            }
            else if (h.Type == ElfConstants.PT_PHDR && !sawPhdr)
            {
                sawPhdr = true;
                ProgramHeaderAddress = h.VirtualAddress;
            }
            else if (h.Type == ElfConstants.PT_TLS && !sawTls)
            {
                sawTls = true;
                TlsAddress = h.VirtualAddress;
                TlsSize = h.MemorySize;
            }
            else if (h.Type == ElfConstants.PT_GNU_STACK)
                ExecutableStack = (h.Flags & ElfConstants.PF_X) != 0;
        }
        return true;
    }

    /// <summary>Sets Interpreter from a PT_INTERP; false when it is outside the file, of a bad length, or not NUL-terminated.</summary>
    private bool ReadInterpreter(ReadOnlySpan<byte> file, ElfProgramHeader h)
    {
        if (h.FileSize < 2 || h.FileSize > ElfConstants.MaxInterpreterLength || !h.FitsInFile(file.Length))
            return false;
        ReadOnlySpan<byte> path = file.Slice((int)h.Offset, (int)h.FileSize);
        if (path[path.Length - 1] != 0)
            return false;
        int length = 0;
        while (path[length] != 0)
            length++;
        Interpreter = Latin1.Decode(path.Slice(0, length));
        return true;
    }

    /// <summary>Sets LowestAddress and HighestAddress to the page-rounded span of the segments.</summary>
    private void SetAddressSpan()
    {
        const ulong pageMask = ElfConstants.ElfExecPageSize - 1;
        ulong lowest = ulong.MaxValue, highest = 0;
        for (int i = 0; i < Segments.Length; i++)
        {
            lowest = Math.Min(lowest, Segments[i].VirtualAddress);
            highest = Math.Max(highest, Segments[i].EndAddress);
        }
        LowestAddress = lowest & ~pageMask;
        HighestAddress = (highest + pageMask) & ~pageMask;
    }

    /// <summary>Address of file offset <paramref name="phoff"/> in the first PT_LOAD holding it, or 0 (Linux load_elf_binary's phdr_addr).</summary>
    private static ulong LoadedProgramHeaderAddress(ElfProgramHeader[] headers, ulong phoff)
    {
        for (int i = 0; i < headers.Length; i++)
            if (headers[i].Type == ElfConstants.PT_LOAD && headers[i].CoversFileOffset(phoff))
                return headers[i].VirtualAddress + (phoff - headers[i].Offset);
        return 0;
    }
}
