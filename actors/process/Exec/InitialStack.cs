// InitialStack: the user stack a new program starts on (System V x86-64
// psABI §3.4.1 "Initial Stack and Register State"), laid out the way Linux
// does: the strings as fs/exec.c copies them, the tables as fs/binfmt_elf.c
// create_elf_tables writes them, without Linux's random offset. In ascending
// addresses from the returned rsp:
//
//   rsp ->  argc
//           argv[0] .. argv[argc-1], NULL
//           envp[0] .. envp[envc-1], NULL
//           auxv: the caller's pairs, AT_RANDOM, AT_EXECFN, AT_PLATFORM, AT_NULL
//           zero padding (so that rsp is 16-byte aligned)
//           16 AT_RANDOM bytes
//           AT_PLATFORM string ("x86_64\0")
//           zero padding (the string area's low end rounded down to 16)
//           argv strings, then envp strings, each NUL-terminated
//           AT_EXECFN string (the exec filename)
//           8 zero bytes (Linux's NULL word at the very top)
//   top
//
// Strings are byte strings (see Kevlar.Runtime.Text.Latin1 for the string
// overload). As Linux does since 5.18, an empty argv becomes { "" }. Input
// checks are in InitialStack.Checks.cs.
using System;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Exec;

/// <summary>A built initial stack: copy Bytes to user memory [StackPointer, Top) and start with rsp = StackPointer.</summary>
public sealed partial class InitialStack
{
    private InitialStack(ulong top, ulong stackPointer)
    {
        Top = top;
        StackPointer = stackPointer;
        // An int length: a ulong one makes the compiler emit an overflow-checked
        // conversion the kernel corlib lacks. StackLayout keeps it below int.MaxValue.
        Bytes = new byte[(int)(top - stackPointer)];
    }

    /// <summary>The stack top the caller gave (exclusive end of Bytes).</summary>
    public ulong Top { get; }
    /// <summary>The initial rsp: 16-byte aligned, pointing at argc.</summary>
    public ulong StackPointer { get; }
    /// <summary>The contents of [StackPointer, Top).</summary>
    public byte[] Bytes { get; }
    /// <summary>Address of argv[0]'s string (Linux mm->arg_start).</summary>
    public ulong ArgumentsStart { get; private set; }
    /// <summary>End of the argv strings (mm->arg_end), which is also mm->env_start.</summary>
    public ulong ArgumentsEnd { get; private set; }
    /// <summary>End of the envp strings (mm->env_end).</summary>
    public ulong EnvironmentEnd { get; private set; }
    /// <summary>Address of the auxiliary vector (what /proc/pid/auxv shows).</summary>
    public ulong AuxvAddress { get; private set; }

    /// <summary>
    /// Builds the stack below <paramref name="stackTop"/>. <paramref name="auxv"/>
    /// holds the caller's entries (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ,
    /// AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID ... in the order wanted); the
    /// builder appends AT_RANDOM, AT_EXECFN, AT_PLATFORM and AT_NULL.
    /// <paramref name="argumentLimit"/> is the byte budget of all strings plus
    /// one pointer per string (<see cref="ArgumentLimits.ForStackLimit"/>).
    /// Returns 0, or: -E2BIG when a string is over MAX_ARG_STRLEN or the
    /// strings exceed the budget; -EINVAL when <paramref name="random"/> is not
    /// 16 bytes, a string holds a NUL, or auxv holds an entry the builder
    /// writes itself; -EFAULT when the stack would reach below address 0.
    /// </summary>
    public static int TryBuild(ulong stackTop, byte[][] argv, byte[][] envp, byte[] execFileName,
        ReadOnlySpan<byte> random, byte[] platform, ReadOnlySpan<AuxvEntry> auxv, ulong argumentLimit,
        out InitialStack? stack)
    {
        stack = null;
        if (argv.Length == 0)
            argv = new byte[][] { new byte[0] };
        int error = CheckInputs(argv, envp, execFileName, random, platform, auxv);
        if (error == 0)
            error = CheckSizes(argv, envp, execFileName, argumentLimit);
        if (error != 0)
            return error;
        var layout = new StackLayout(stackTop, argv, envp, execFileName, platform, auxv.Length);
        if (!layout.Fits)
            return -Errno.EFAULT;
        stack = new InitialStack(stackTop, layout.StackPointer);
        stack.Fill(layout, argv, envp, execFileName, random, platform, auxv);
        return 0;
    }

    /// <summary>
    /// As the byte-string TryBuild, for kernel strings (one byte per char);
    /// -EINVAL when a char is above U+00FF.
    /// </summary>
    public static int TryBuild(ulong stackTop, string[] argv, string[] envp, string execFileName,
        ReadOnlySpan<byte> random, string platform, ReadOnlySpan<AuxvEntry> auxv, ulong argumentLimit,
        out InitialStack? stack)
    {
        stack = null;
        byte[][]? argBytes = EncodeAll(argv);
        byte[][]? envBytes = EncodeAll(envp);
        byte[]? fileBytes = Latin1.Encode(execFileName);
        byte[]? platformBytes = Latin1.Encode(platform);
        if (argBytes == null || envBytes == null || fileBytes == null || platformBytes == null)
            return -Errno.EINVAL;
        return TryBuild(stackTop, argBytes, envBytes, fileBytes, random, platformBytes, auxv, argumentLimit, out stack);
    }

    /// <summary>Writes every part at the address the layout chose.</summary>
    private void Fill(StackLayout layout, byte[][] argv, byte[][] envp, byte[] execFileName,
        ReadOnlySpan<byte> random, byte[] platform, ReadOnlySpan<AuxvEntry> auxv)
    {
        PutString(layout.ExecFileNameAddress, execFileName);
        for (int i = 0; i < argv.Length; i++)
            PutString(layout.ArgvAddresses[i], argv[i]);
        for (int i = 0; i < envp.Length; i++)
            PutString(layout.EnvpAddresses[i], envp[i]);
        PutString(layout.PlatformAddress, platform);
        random.CopyTo(new Span<byte>(Bytes, Offset(layout.RandomAddress), StackLayout.RandomBytes));

        ulong at = StackPointer;
        at = PutWord(at, (ulong)argv.Length);
        at = PutPointers(at, layout.ArgvAddresses);
        at = PutPointers(at, layout.EnvpAddresses);
        AuxvAddress = at;
        for (int i = 0; i < auxv.Length; i++)
            at = PutPair(at, auxv[i].Type, auxv[i].Value);
        at = PutPair(at, AuxvType.AT_RANDOM, layout.RandomAddress);
        at = PutPair(at, AuxvType.AT_EXECFN, layout.ExecFileNameAddress);
        at = PutPair(at, AuxvType.AT_PLATFORM, layout.PlatformAddress);
        PutPair(at, AuxvType.AT_NULL, 0);

        ArgumentsStart = layout.ArgvAddresses[0];
        ArgumentsEnd = envp.Length > 0 ? layout.EnvpAddresses[0] : layout.ExecFileNameAddress;
        EnvironmentEnd = layout.ExecFileNameAddress;
    }

    private int Offset(ulong address) => (int)(address - StackPointer);

    private void PutString(ulong address, byte[] s)
    {
        Array.Copy(s, 0, Bytes, Offset(address), s.Length);
        Bytes[Offset(address) + s.Length] = 0;
    }

    private ulong PutWord(ulong address, ulong value)
    {
        int offset = Offset(address);
        for (int i = 0; i < 8; i++)
            Bytes[offset + i] = (byte)(value >> (8 * i));
        return address + 8;
    }

    /// <summary>Writes the pointers then a NULL; returns the address after them.</summary>
    private ulong PutPointers(ulong address, ulong[] pointers)
    {
        for (int i = 0; i < pointers.Length; i++)
            address = PutWord(address, pointers[i]);
        return PutWord(address, 0);
    }

    private ulong PutPair(ulong address, ulong type, ulong value) => PutWord(PutWord(address, type), value);
}
