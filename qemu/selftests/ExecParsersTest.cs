// The portable exec and initramfs parsers run on metal: a small ELF built in
// memory is parsed, a "#!" line is split, an initial stack is built and read
// back, and a two-member newc archive is walked. The host tests check these
// parsers in depth; this checks that the image's corlib and compiler run them.
using System;
using System.Collections.Generic;
using Kevlar.Process.Exec;
using Kevlar.Runtime.Scheduling;
using Kevlar.Vfs;
using Kevlar.Vfs.Initramfs;

namespace Kevlar.SelfTests;

public sealed class ExecParsersTest : SelfTest
{
    public override string Name => "exec-parsers";

    public override void Start(Scheduler scheduler)
    {
        int passed = 0, total = 0;
        Check(ref passed, ref total, ElfParses());
        Check(ref passed, ref total, ElfRejectsGarbage());
        Check(ref passed, ref total, ScriptSplits());
        Check(ref passed, ref total, StackReadsBack());
        Check(ref passed, ref total, CpioWalks());
        Finish(passed == total, string.Concat(Out.Dec(passed), " of ", Out.Dec(total), " parser checks hold"));
    }

    private static void Check(ref int passed, ref int total, bool ok) { total++; if (ok) passed++; }

    private static bool ElfParses()
    {
        byte[] file = MinimalElf();
        if (ElfImage.TryParse(file, out ElfImage? image) != 0 || image == null)
            return false;
        return image.Entry == 0x401000 && image.Segments.Length == 2 && image.Segments[1].Executable
            && image.ProgramHeaderAddress == 0x400040 && image.HighestAddress == 0x402000 && image.Interpreter == null;
    }

    private static bool ElfRejectsGarbage()
    {
        byte[] file = MinimalElf();
        for (int length = 0; length < 180; length += 7)
            if (ElfImage.TryParse(new ReadOnlySpan<byte>(file, 0, length), out _) != -Kevlar.Errno.ENOEXEC)
                return false;
        file[18] = 3;
        return ElfImage.TryParse(file, out _) == -Kevlar.Errno.ENOEXEC;
    }

    private static bool ScriptSplits() =>
        ElfImage.IsScript(Ascii("#! /usr/bin/env python3 -u \n"), out string interpreter, out string? argument)
        && interpreter == "/usr/bin/env" && argument == "python3 -u";

    private static bool StackReadsBack()
    {
        var random = new byte[16];
        var auxv = new AuxvEntry[] { new AuxvEntry(AuxvType.AT_PAGESZ, 4096) };
        int result = InitialStack.TryBuild(0x7FFF_FFFF_F000, new string[] { "/init", "x" }, new string[] { "HOME=/" }, "/init",
            random, "x86_64", auxv, ArgumentLimits.ForStackLimit(8 << 20), out InitialStack? stack);
        if (result != 0 || stack == null || stack.StackPointer % 16 != 0)
            return false;
        ulong argv1 = Word(stack, stack.StackPointer + 16);
        return Word(stack, stack.StackPointer) == 2 && stack.Bytes[(int)(argv1 - stack.StackPointer)] == (byte)'x'
            && Word(stack, stack.AuxvAddress) == AuxvType.AT_PAGESZ;
    }

    private static bool CpioWalks()
    {
        string dir = Member("bin", 0x41ED, 0, "");
        string file = Member("bin/sh", 0x81ED, 5, "hello");
        byte[] archive = Ascii(string.Concat(dir, file, Member("TRAILER!!!", 0, 0, "")));
        var entries = new List<CpioEntry>();
        if (CpioNewcReader.ReadAll(archive, entries) != CpioError.None || entries.Count != 2)
            return false;
        ReadOnlySpan<byte> data = entries[1].DataIn(archive);
        return entries[1].Name == "bin/sh" && FileType.Of(entries[0].Mode) == FileType.S_IFDIR
            && data.Length == 5 && data[4] == (byte)'o';
    }

    /// <summary>A newc member: header, name and NUL padded to 4, data padded to 4 (members start 4-aligned).</summary>
    private static string Member(string name, int mode, int size, string data)
    {
        string header = string.Concat("070701", "00000001", Hex(mode), "00000000");
        header = string.Concat(header, "00000000", "00000001", "00000000");
        header = string.Concat(header, Hex(size), "00000000", "00000000");
        header = string.Concat(header, "00000000", "00000000", string.Concat(Hex(name.Length + 1), "00000000"));
        string named = string.Concat(header, name, "\0");
        return string.Concat(Pad(named), Pad(data));
    }

    private static string Pad(string s)
    {
        while (s.Length % 4 != 0)
            s = string.Concat(s, "\0");
        return s;
    }

    private static string Hex(int value)
    {
        var chars = new char[8];
        for (int i = 7; i >= 0; i--, value >>= 4)
            chars[i] = "0123456789ABCDEF"[value & 0xF];
        return new string(chars);
    }

    private static byte[] Ascii(string s)
    {
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
            bytes[i] = (byte)s[i];
        return bytes;
    }

    private static ulong Word(InitialStack stack, ulong address)
    {
        int at = (int)(address - stack.StackPointer);
        ulong value = 0;
        for (int i = 7; i >= 0; i--)
            value = value << 8 | stack.Bytes[at + i];
        return value;
    }

    /// <summary>An ELF64 x86_64 ET_EXEC: headers at 0x400000 (R), one page of code at 0x401000 (R E).</summary>
    private static byte[] MinimalElf()
    {
        var file = new byte[0x2000];
        file[0] = 0x7F; file[1] = (byte)'E'; file[2] = (byte)'L'; file[3] = (byte)'F';
        file[4] = 2; file[5] = 1; file[6] = 1;
        Put(file, 16, 2, 2);
        Put(file, 18, 62, 2);
        Put(file, 24, 0x401000, 8);
        Put(file, 32, 64, 8);
        Put(file, 54, 56, 2);
        Put(file, 56, 2, 2);
        PutLoad(file, 64, 4, 0, 0x400000, 0x1000);
        PutLoad(file, 120, 5, 0x1000, 0x401000, 0x1000);
        return file;
    }

    private static void PutLoad(byte[] file, int at, uint flags, ulong offset, ulong vaddr, ulong size)
    {
        Put(file, at, 1, 4);
        Put(file, at + 4, flags, 4);
        Put(file, at + 8, offset, 8);
        Put(file, at + 16, vaddr, 8);
        Put(file, at + 32, size, 8);
        Put(file, at + 40, size, 8);
        Put(file, at + 48, 0x1000, 8);
    }

    private static void Put(byte[] file, int at, ulong value, int bytes)
    {
        for (int i = 0; i < bytes; i++)
            file[at + i] = (byte)(value >> (8 * i));
    }
}
