// The machine's end on metal: the kernel's figures and the exit status as
// lines on COM2 (the host's control channel: `./kevlar run` reads the status,
// and prints the figures with --kernel-stats), then QEMU's isa-debug-exit.
//
// The end waits for one whole stop-the-world collection, taken by the next
// safepoint round with every other CPU parked, so the heap figure is exactly
// what was reachable at the end: a concurrent cycle's figure also counts what
// died during its mark, and leak checks that compare two runs' figures
// (StormTests) saw that as growth.
using System.Threading;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Text;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalSystemControl : ISystemControl
{
    // The exit status + 1 from the first PowerOff on; 0 before.
    private static int s_stopping;

    /// <summary>Asks for the final collection and returns; the machine stops when it is over
    /// (AfterCollection). Later calls keep the first status.</summary>
    public void PowerOff(int exitStatus)
    {
        if (Interlocked.CompareExchange(ref s_stopping, exitStatus + 1, 0) != 0) return;
        AskForCollection();
    }

    /// <summary>Called by the collecting CPU after each safepoint round's collection, every other
    /// CPU parked: stops the machine once a whole collection has run since PowerOff.</summary>
    internal static void AfterCollection()
    {
        int stopping = Volatile.Read(ref s_stopping);
        if (stopping == 0) return;
        if (GcHeap.LastRoundCollectedEverything) Stop(stopping - 1);
        else AskForCollection(); // a concurrent cycle's pause: its sweep is overtaken by the next round
    }

    private static void AskForCollection()
    {
        // Safety: RequestCollection is KernelMain's function, set before any process can run.
        unsafe
        {
            if (GcHeap.RequestCollection == null) Stop(Volatile.Read(ref s_stopping) - 1);
            else GcHeap.RequestCollection();
        }
    }

    private static void Stop(int exitStatus)
    {
        ControlPort.Write(string.Concat("stat heap-live-kib-after-last-collection ", NumberText.Decimal((long)(GcHeap.LiveBytesAfterLastCollection >> 10)), "\n"));
        ControlPort.Write(string.Concat("stat collections ", NumberText.Decimal(GcHeap.Collections), "\n"));
        ControlPort.Write(string.Concat("stat free-pages ", NumberText.Decimal((long)(PhysicalMemory.FreeBytes >> 12)), "\n"));
        ControlPort.Write(string.Concat("exit ", NumberText.Decimal(exitStatus), "\n"));
        QemuExit.Pass();
    }
}
