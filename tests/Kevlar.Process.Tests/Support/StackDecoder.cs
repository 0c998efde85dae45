// StackDecoder: reads an initial user stack back the way a C runtime's _start
// does (psABI §3.4.1): argc at rsp, argv and envp pointer arrays ending in
// NULL, then auxv pairs up to AT_NULL; strings are followed through their
// pointers. Works on our builder's bytes and on a dump of a real Linux stack.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Process.Exec;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public sealed class StackDecoder
{
    private readonly byte[] _bytes;
    private readonly ulong _base;

    public StackDecoder(byte[] bytes, ulong stackPointer)
    {
        _bytes = bytes;
        _base = stackPointer;
        ulong at = stackPointer;
        ulong argc = Word(at);
        at += 8;
        for (ulong i = 0; i < argc; i++, at += 8)
            ArgvPointers.Add(Word(at));
        Assert.Equal(0UL, Word(at));
        for (at += 8; Word(at) != 0; at += 8)
            EnvpPointers.Add(Word(at));
        AuxvAddress = at += 8;
        for (; Word(at) != AuxvType.AT_NULL; at += 16)
            Auxv.Add((Word(at), Word(at + 8)));
        AuxvEnd = at + 16;
    }

    public List<ulong> ArgvPointers { get; } = new();
    public List<ulong> EnvpPointers { get; } = new();
    public List<(ulong Type, ulong Value)> Auxv { get; } = new();
    /// <summary>Address of the first auxv pair.</summary>
    public ulong AuxvAddress { get; }
    /// <summary>Address just past the AT_NULL pair.</summary>
    public ulong AuxvEnd { get; }

    public List<string> Argv => ArgvPointers.Select(CString).ToList();
    public List<string> Envp => EnvpPointers.Select(CString).ToList();

    /// <summary>The value of the single auxv entry of <paramref name="type"/>.</summary>
    public ulong AuxvValue(ulong type) => Auxv.Single(e => e.Type == type).Value;

    public ulong Word(ulong address) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(address, 8));

    public byte[] Slice(ulong address, int length)
    {
        Assert.InRange(address, _base, _base + (ulong)_bytes.Length - (ulong)length);
        return _bytes.AsSpan((int)(address - _base), length).ToArray();
    }

    /// <summary>The NUL-terminated string at <paramref name="address"/>, one char per byte.</summary>
    public string CString(ulong address)
    {
        int start = (int)(address - _base);
        Assert.InRange(start, 0, _bytes.Length - 1);
        int end = Array.IndexOf(_bytes, (byte)0, start);
        Assert.True(end >= 0, "string runs off the top of the stack");
        return Encoding.Latin1.GetString(_bytes, start, end - start);
    }
}
