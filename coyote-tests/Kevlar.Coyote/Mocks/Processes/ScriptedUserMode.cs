// ScriptedUserMode: the host twin of IUserMode for the process scenarios.
// User code cannot run on the host, so each address space has a scripted
// program instead: Run takes the program's next step and returns as the CPU
// would — a system call trap with the call's registers, or a timer interrupt
// for a Yield. Everything after the trap (dispatch, blocking in wait4,
// resuming, signals, exit) is the kernel's real code. A fork's child gets the
// program named by the fork step, attached when its address space is cloned;
// a thread made by a clone step gets that step's program, found by the space
// and the FS base the clone gave it (threads share the space). A space torn
// down while a thread was on its way in is refused as metal refuses it.
using Kevlar.Coyote.Harness;
using Kevlar.Process.Syscalls;
using Kevlar.Runtime.UserMode;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Mocks.Processes;

public sealed class ScriptedUserMode : IUserMode
{
    private readonly Dictionary<IPageTables, UserScript> _scripts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IPageTables, UserProgram> _forking = new(ReferenceEqualityComparer.Instance);
    // Threads other than a process's first, by space and FS base; programs cloned but not run yet.
    private readonly Dictionary<(IPageTables, ulong), UserScript> _threads = new();
    private readonly Dictionary<(IPageTables, ulong), UserProgram> _cloning = new();

    /// <summary>Finds the process of an address space (set by the harness), for a fork child's script.</summary>
    public Func<IPageTables, Kevlar.Process.UserProcess?>? FindProcess { get; set; }

    /// <summary>Not used: scenarios create each space with its program (Attach).</summary>
    public IPageTables CreateAddressSpace()
    {
        Specification.Assert(false, "ScriptedUserMode: an address space was created without a program");
        return new FakePageTables();
    }

    /// <summary>A new address space that runs <paramref name="program"/>.</summary>
    public UserScript Attach(UserProgram program)
    {
        var space = new FakePageTables { Cloned = OnCloned };
        var script = new UserScript(space, program);
        _scripts[space] = script;
        return script;
    }

    /// <summary>Every script, spawned or forked.</summary>
    public IEnumerable<UserScript> Scripts => _scripts.Values;

    /// <summary>The script running in <paramref name="space"/>, or null.</summary>
    public UserScript? ScriptOf(IPageTables space) => _scripts.TryGetValue(space, out UserScript? s) ? s : null;

    // Host user code runs inside Run, on the CPU that called it: no other CPU is ever in it.
    public void Recall(IPageTables space)
    {
    }

    // Scripts keep no FPU state.
    public void TakeFpu(ref UserRegisters regs)
    {
    }

    public int Run(ref UserRegisters regs, IPageTables space)
    {
        UserScript? script = regs.FsBase == 0 ? ScriptOf(space) : ThreadScript(space, regs.FsBase);
        Specification.Assert(script != null, "ScriptedUserMode: an address space without a program entered user mode");
        if (script!.Space.Destroyed)
        {
            // Only a thread on its way in when a sibling tore the space down gets here; it must not run.
            return UserRegisters.SpaceGoneReason;
        }
        script.Process ??= FindProcess?.Invoke(space);
        UserOp? op = script.Next(regs.Rax);
        Specification.Assert(op != null, "ScriptedUserMode: a program ran past its last step");
        if (op!.IsYield)
        {
            if (op.IsSpin)
            {
                Hooks.SpinPause();
            }
            return UserOp.TimerVector;
        }
        if (op.Number == SyscallNumber.fork)
        {
            _forking[space] = op.Child!;
        }
        else if (op.Number == SyscallNumber.clone)
        {
            _cloning[(space, op.Args[4])] = op.Child!;
        }
        regs.Rax = (ulong)op.Number;
        regs.Rdi = op.Args[0];
        regs.Rsi = op.Args[1];
        regs.Rdx = op.Args[2];
        regs.R10 = op.Args[3];
        regs.R8 = op.Args[4];
        return UserRegisters.SyscallReason;
    }

    // A cloned thread's script, made on its first run from the program its clone step named.
    private UserScript? ThreadScript(IPageTables space, ulong fsBase)
    {
        if (_threads.TryGetValue((space, fsBase), out UserScript? script)) return script;
        if (!_cloning.Remove((space, fsBase), out UserProgram? program)) return null;
        script = new UserScript((FakePageTables)space, program);
        _threads[(space, fsBase)] = script;
        return script;
    }

    // fork cloned a space: the child runs the program the fork step named.
    private void OnCloned(FakePageTables parent, FakePageTables child)
    {
        Specification.Assert(_forking.Remove(parent, out UserProgram? program),
            "ScriptedUserMode: an address space was cloned outside a scripted fork");
        _scripts[child] = new UserScript(child, program!);
    }
}
