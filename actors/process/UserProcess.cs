// UserProcess: a Linux process — its pid, memory, open files, credentials
// and exit. Its threads run on one home CPU and touch this state only from
// their handlers, so it needs no lock; threads of one process spread over
// CPUs (clone) will make the process an actor of its own.
//
// State (owned by the process's home CPU): everything below.
// Invariants: 1. Exited processes hold no pages (Memory cleared, tables destroyed).
//             2. Brk lies in [BrkStart, BrkStart + max heap].
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class UserProcess
{
    public readonly ProcessHost Host;
    public readonly int Pid;
    public int ParentPid;
    public int ProcessGroup;
    public int Session;

    public IPageTables Pages;
    public MemoryMap Memory;
    public UserMemory UserMemory;
    public FileDescriptorTable Files = new FileDescriptorTable();

    /// <summary>The heap: [BrkStart, Brk) is mapped as the "[heap]" region.</summary>
    public ulong BrkStart, Brk;
    /// <summary>The absolute path of the running program (/proc/self/exe).</summary>
    public string ExecutablePath = string.Empty;
    public string Cwd = "/";
    public InitramfsNode CwdNode;
    public uint Umask = 0x12; // 022

    public uint Uid, Euid, Suid, Gid, Egid, Sgid;
    public uint[] Groups = new uint[0];
    public readonly ResourceLimits Limits = new ResourceLimits();
    public readonly SignalActions SignalActions = new SignalActions();

    /// <summary>PR_SET_DUMPABLE; cleared for set-id programs.</summary>
    public bool Dumpable = true;

    /// <summary>CPU time of reaped children (times, RUSAGE_CHILDREN).</summary>
    public ulong ChildrenUserNanoseconds, ChildrenSystemNanoseconds;

    public bool Exited;
    public int ExitWaitStatus;

    public UserProcess(ProcessHost host, int pid, int parentPid)
    {
        Host = host;
        Pid = pid;
        ParentPid = parentPid;
        ProcessGroup = pid;
        Session = pid;
        Pages = host.UserMode.CreateAddressSpace();
        Memory = new MemoryMap(Pages);
        UserMemory = new UserMemory(Memory);
        CwdNode = host.Files.Root;
        host.ProcessCreated();
    }

    /// <summary>Ends the process with <paramref name="waitStatus"/> (see Signals.WaitStatus):
    /// frees its memory and files and reports to its parent.</summary>
    public void Exit(int waitStatus)
    {
        if (Exited) return;
        Exited = true;
        ExitWaitStatus = waitStatus;
        Memory.Clear();
        Pages.Destroy();
        Files = new FileDescriptorTable();
        if (Pid == 1) Host.InitExited(waitStatus);
    }
}
