// FakeUserMode: the host twin of IUserMode for tests that call the kernel
// directly. New address spaces are FakePageTables over one FramePool; running
// user code is not possible here, so Run fails the test.
using Kevlar.Runtime.UserMode;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeUserMode : IUserMode
{
    public FakeUserMode(FramePool pool)
    {
        Pool = pool;
    }

    public FramePool Pool { get; }

    /// <summary>Every space CreateAddressSpace handed out, oldest first.</summary>
    public List<FakePageTables> Spaces { get; } = new();

    public IPageTables CreateAddressSpace()
    {
        var space = new FakePageTables(Pool);
        Spaces.Add(space);
        return space;
    }

    // Host user code runs inside Run, on the CPU that called it: no other CPU is ever in it.
    public void Recall(IPageTables space)
    {
    }

    // Host user code keeps nothing in a CPU.
    public void TakeFpu(ref UserRegisters regs)
    {
    }

    public int Run(ref UserRegisters regs, IPageTables space)
    {
        Assert.Fail("FakeUserMode.Run: a test let a user thread run (rip 0x" + regs.Rip.ToString("x") + ")");
        return 0;
    }
}
