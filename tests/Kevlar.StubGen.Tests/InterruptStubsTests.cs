// The 256 interrupt entry stubs, the common path that builds the
// InterruptFrame and calls KevlarInterruptDispatch, and the kevlar_isr_stubs
// table the IDT is built from.
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using Xunit;
using static Kevlar.StubGen.Tests.GeneratedStubs;

namespace Kevlar.StubGen.Tests;

public class InterruptStubsTests
{
    /// <summary>Vectors for which the CPU itself pushes an error code (Intel SDM vol. 3, table 6-1; AMD #VC, #SX).</summary>
    private static readonly int[] ErrorCodeVectors = [8, 10, 11, 12, 13, 14, 17, 21, 29, 30];

    private static readonly Register[] FrameOrder =
    [
        Register.RAX, Register.RBX, Register.RCX, Register.RDX, Register.RSI, Register.RDI, Register.RBP,
        Register.R8, Register.R9, Register.R10, Register.R11, Register.R12, Register.R13, Register.R14, Register.R15,
    ];

    private static ulong StubAddress(int vector) => ReadUInt64(Address("kevlar_isr_stubs") + 8 * (ulong)vector);

    private static List<Instruction> Stub(int vector) => DecodeAt(StubAddress(vector), 64, IsTerminator, max: 4);

    private static ulong CommonPath => Stub(0)[^1].NearBranchTarget;

    private static List<Instruction> Common() => DecodeAt(CommonPath, 64, IsTerminator);

    [Fact]
    public void HasErrorCode_EveryVector_MatchesTheCpuList()
    {
        for (int v = 0; v < 256; v++)
            Assert.Equal(ErrorCodeVectors.Contains(v), InterruptStubs.HasErrorCode(v));
    }

    [Fact]
    public void Table_Entries_AreDistinctAscendingAddressesBeforeCommonPath()
    {
        ulong table = Address("kevlar_isr_stubs");
        Assert.Equal(0UL, table % 8);
        var entries = Enumerable.Range(0, 256).Select(StubAddress).ToList();
        for (int v = 1; v < 256; v++) Assert.True(entries[v] > entries[v - 1], $"stub {v} not after stub {v - 1}");
        Assert.True(entries[0] >= Base && entries[255] < CommonPath);
        Assert.True(table >= Common()[^1].NextIP, "the table overlaps code");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Stub_Vector_PushesZeroErrorCodeOnlyWithoutCpuErrorCode(int vector)
    {
        var code = Stub(vector);
        bool cpuPushes = ErrorCodeVectors.Contains(vector);
        Assert.Equal(cpuPushes ? 2 : 3, code.Count);
        if (!cpuPushes)
        {
            Assert.Equal(Mnemonic.Push, code[0].Mnemonic);
            Assert.Equal(0UL, code[0].GetImmediate(0));
        }
        var push = code[^2];
        Assert.Equal(Mnemonic.Push, push.Mnemonic);
        Assert.Equal((ulong)vector, push.GetImmediate(0));
        Assert.Equal(8, push.StackPointerIncrement * -1);
        Assert.Equal(Mnemonic.Jmp, code[^1].Mnemonic);
        Assert.Equal(CommonPath, code[^1].NearBranchTarget);
    }

    public static IEnumerable<object[]> Vectors() => Enumerable.Range(0, 256).Select(v => new object[] { v });

    [Fact]
    public void CommonPath_Entry_PushesFifteenRegistersInFrameOrder()
    {
        var code = Common();
        // First the ring check: a frame from ring 3 leaves user mode instead (UserEntry).
        Assert.Equal(Mnemonic.Test, code[0].Mnemonic);
        Assert.Equal(24, (int)code[0].MemoryDisplacement64);
        Assert.Equal(3, (int)code[0].Immediate8);
        Assert.Equal(Mnemonic.Jne, code[1].Mnemonic);
        var pushes = code.Skip(2).TakeWhile(i => i.Mnemonic == Mnemonic.Push).ToList();
        Assert.Equal(FrameOrder, pushes.Select(i => i.Op0Register));
        Assert.Equal(InterruptStubs.SavedOrder.Length, pushes.Count);
    }

    [Fact]
    public void CommonPath_Call_PassesFramePointerInRdiWithAlignedStack()
    {
        var code = Common();
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        var mov = code.Take(call).Last(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.RDI);
        Assert.Equal(Register.RSP, mov.Op1Register);
        Assert.Contains(code.Take(call), i => i.Mnemonic == Mnemonic.Cld);
        Assert.Equal("KevlarInterruptDispatch", RelocationAt(MemoryAddress(code[call])));
        // The CPU aligns rsp to 16 and pushes 5 qwords; the stub adds error code and vector; the path 15 registers.
        int qwords = 5 + 2 + code.Take(call).Count(i => i.Mnemonic == Mnemonic.Push);
        Assert.Equal(22, qwords);
        Assert.Equal(0, qwords * 8 % 16);
    }

    [Fact]
    public void CommonPath_Exit_PopsInReverseThenDropsVectorAndErrorThenIretq()
    {
        var code = Common();
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        var tail = code.Skip(call + 1).ToList();
        var pops = tail.TakeWhile(i => i.Mnemonic == Mnemonic.Pop).Select(i => i.Op0Register);
        Assert.Equal(FrameOrder.Reverse(), pops);
        var add = tail[^2];
        Assert.Equal(Mnemonic.Add, add.Mnemonic);
        Assert.Equal(Register.RSP, add.Op0Register);
        Assert.Equal(16UL, add.GetImmediate(1));
        Assert.Equal(Mnemonic.Iretq, tail[^1].Mnemonic);
        Assert.Equal(17, tail.Count);
    }
}
