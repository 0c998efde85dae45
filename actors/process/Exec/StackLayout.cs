// StackLayout: where each part of the initial stack goes (see the picture in
// InitialStack.cs). Walks down from the top as Linux does: the NULL word, the
// filename, envp strings last to first, argv strings last to first (fs/exec.c
// copy_strings); then rounds down to 16, places the platform string and the
// random bytes, and puts rsp below the argc/argv/envp/auxv words, rounded
// down to 16 (create_elf_tables' STACK_ROUND), so rsp % 16 == 0 as the psABI
// requires at process entry.
namespace Kevlar.Process.Exec;

/// <summary>Addresses of every part of an initial stack; computed, not written.</summary>
internal sealed class StackLayout
{
    /// <summary>Size of the AT_RANDOM block.</summary>
    public const int RandomBytes = 16;

    /// <summary>Auxv entries the builder adds: AT_RANDOM, AT_EXECFN, AT_PLATFORM, AT_NULL.</summary>
    private const int BuilderAuxvEntries = 4;

    public readonly ulong ExecFileNameAddress;
    public readonly ulong[] ArgvAddresses;
    public readonly ulong[] EnvpAddresses;
    public readonly ulong PlatformAddress;
    public readonly ulong RandomAddress;
    public readonly ulong StackPointer;
    /// <summary>False when the stack would reach below address 0 (nothing else is valid then).</summary>
    public readonly bool Fits;

    public StackLayout(ulong top, byte[][] argv, byte[][] envp, byte[] execFileName, byte[] platform, int callerAuxv)
    {
        ArgvAddresses = new ulong[argv.Length];
        EnvpAddresses = new ulong[envp.Length];
        ulong tables = (ulong)(callerAuxv + BuilderAuxvEntries) * 16 + (ulong)(argv.Length + envp.Length + 3) * 8;
        ulong worstCase = 8 + StringBytes(argv) + StringBytes(envp) + (ulong)execFileName.Length + 1
            + 15 + (ulong)platform.Length + 1 + RandomBytes + tables + 15;
        Fits = worstCase <= top && worstCase <= int.MaxValue;
        if (!Fits)
            return;
        ulong p = top - 8;
        p -= (ulong)execFileName.Length + 1;
        ExecFileNameAddress = p;
        for (int i = envp.Length - 1; i >= 0; i--)
            EnvpAddresses[i] = p -= (ulong)envp[i].Length + 1;
        for (int i = argv.Length - 1; i >= 0; i--)
            ArgvAddresses[i] = p -= (ulong)argv[i].Length + 1;
        p &= ~15UL;
        PlatformAddress = p -= (ulong)platform.Length + 1;
        RandomAddress = p -= RandomBytes;
        StackPointer = (p - tables) & ~15UL;
    }

    /// <summary>Bytes the strings take with their NULs.</summary>
    private static ulong StringBytes(byte[][] strings)
    {
        ulong total = 0;
        for (int i = 0; i < strings.Length; i++)
            total += (ulong)strings[i].Length + 1;
        return total;
    }
}
