// ScriptedUserMode: the host twin of IUserMode for the process scenarios.
// User code cannot run on the host, so each address space has a scripted
// program instead: Run takes the program's next step and returns as the CPU
// would — a system call trap with the call's registers, or a timer interrupt
// for a Yield. Everything after the trap (dispatch, blocking in wait4,
// resuming, signals, exit) is the kernel's real code. A fork's child gets the
// program named by the fork step, attached when its address space is cloned.
using Kevlar.Process.Syscalls;
using Kevlar.Runtime.UserMode;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Mocks.Processes;

public sealed class ScriptedUserMode : IUserMode
{
    private readonly Dictionary<IPageTables, UserScript> _scripts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IPageTables, UserProgram> _forking = new(ReferenceEqualityComparer.Instance);

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

    public int Run(ref UserRegisters regs, IPageTables space)
    {
        UserScript? script = ScriptOf(space);
        Specification.Assert(script != null, "ScriptedUserMode: an address space without a program entered user mode");
        Specification.Assert(!script!.Space.Destroyed, "ExitedNeverRuns: an exited process entered user mode");
        script.Process ??= FindProcess?.Invoke(space);
        UserOp? op = script.Next(regs.Rax);
        Specification.Assert(op != null, "ScriptedUserMode: a program ran past its last step");
        if (op!.IsYield)
        {
            return UserOp.TimerVector;
        }
        if (op.Number == SyscallNumber.fork)
        {
            _forking[space] = op.Child!;
        }
        regs.Rax = (ulong)op.Number;
        regs.Rdi = op.Args[0];
        regs.Rsi = op.Args[1];
        regs.Rdx = op.Args[2];
        regs.R10 = op.Args[3];
        return UserRegisters.SyscallReason;
    }

    // fork cloned a space: the child runs the program the fork step named.
    private void OnCloned(FakePageTables parent, FakePageTables child)
    {
        Specification.Assert(_forking.Remove(parent, out UserProgram? program),
            "ScriptedUserMode: an address space was cloned outside a scripted fork");
        _scripts[child] = new UserScript(child, program!);
    }
}
