// The first C# code to run on the bootstrap CPU: called by the PVH entry stub
// in long mode on the boot stack, with the hvm_start_info physical address.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kevlar.Drivers.X86_64.Console;

namespace Kevlar.Drivers.X86_64;

public static unsafe class KernelMain
{
    [RuntimeExport("KevlarKernelMain")]
    private static void Entry(ulong startInfo) => Run(startInfo);

    // Kept out of Entry: a closure or allocation in the entry method would run
    // at method entry, before the heap exists.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run(ulong startInfo)
    {
        SerialConsole.Initialize();
        SerialConsole.Write("kevlar: hello from C#, start_info=");
        SerialConsole.WriteHex(startInfo);
        SerialConsole.Write("\n");
        while (true) Kevlar.Runtime.Metal.Native.StiHltCli();
    }

    [RuntimeExport("KevlarApMain")]
    private static void ApEntry(int cpu) { while (true) Kevlar.Runtime.Metal.Native.StiHltCli(); }

    [RuntimeExport("KevlarInterruptDispatch")]
    private static void InterruptEntry(ulong* frame) { }

    [RuntimeExport("KevlarResolveInterface")]
    private static nint ResolveInterface(object self, nint cell) => 0;
}
