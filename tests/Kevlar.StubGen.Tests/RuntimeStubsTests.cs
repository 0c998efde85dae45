// The leaf functions the kernel calls through [RuntimeImport]: each decodes
// to valid 64-bit code that ends in a return, a jump, iretq or ud2 before the
// next function starts, and the ones with a contract beyond "do one
// instruction" keep it.
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using Xunit;
using static Kevlar.StubGen.Tests.GeneratedStubs;

namespace Kevlar.StubGen.Tests;

public class RuntimeStubsTests
{
    /// <summary>Every 64-bit function symbol outside the interrupt stubs (the PVH entry is 32-bit code;
    /// the vector stubs jump to the common path, which leaves for user entry's: named for profiles
    /// and panics, they are not called).</summary>
    public static IEnumerable<object[]> Functions()
        => Image.Symbols.Where(s => s.IsFunction && s.Name is not ("kevlar_pvh_entry" or "kevlar_vector_stubs" or "kevlar_interrupt_common"))
            .Select(s => new object[] { s.Name });

    /// <summary>Every instruction from the symbol up to whatever follows it in the blob.</summary>
    private static List<Instruction> Function(string name) => DecodeRange(Address(name), NextBoundary(Address(name)), 64);

    [Fact]
    public void Functions_Exported_IncludeWhatTheKernelImports()
    {
        string[] imported =
        [
            "kevlar_out8", "kevlar_in8", "kevlar_read_cr2", "kevlar_write_cr3", "kevlar_rdmsr", "kevlar_wrmsr", "kevlar_rdtsc",
            "kevlar_cpuid", "kevlar_lgdt", "kevlar_lidt", "kevlar_ltr", "kevlar_reload_segments", "kevlar_invlpg",
            "kevlar_sti_hlt_cli", "kevlar_pause", "kevlar_save_context", "kevlar_switch_stack", "kevlar_ud2",
            "RhpAssignRef", "RhpCheckedAssignRef", "RhpByRefAssignRef", "RhpInitialDynamicInterfaceDispatch",
            "kevlar_ap_entry64", "kevlar_sym_ReadyToRunHeader", "kevlar_sym_kevlar_isr_stubs",
        ];
        var defined = Image.Symbols.Where(s => s.IsFunction).Select(s => s.Name).ToHashSet();
        Assert.Equal(string.Empty, string.Join(" ", imported.Where(n => !defined.Contains(n))));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Function_Decoded_EndsInTerminatorBeforeNextSymbol(string name)
    {
        ulong at = Address(name);
        var code = Function(name);
        Assert.True(IsTerminator(code[^1]), $"{name} falls through into what follows it:\n{Listing(code)}");
        // Direct branches stay inside the function (tail jumps are indirect, hlt loops jump back).
        foreach (var i in code)
            if (i.FlowControl == FlowControl.ConditionalBranch || i.FlowControl == FlowControl.UnconditionalBranch)
                Assert.InRange(i.NearBranchTarget, at, code[^1].NextIP - 1);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Function_WithCall_KeepsStackAligned(string name)
    {
        var code = Function(name);
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        // kevlar_switch_stack calls on the stack it was given (page-aligned tops).
        if (call < 0 || code.Take(call).Any(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.RSP && i.Mnemonic == Mnemonic.Mov)) return;
        int depth = code.Take(call).Sum(i => -i.StackPointerIncrement) / 8;
        // Called functions enter with rsp = 8 mod 16; the AP entry is jumped to on a 16-aligned stack.
        int entryMisalignment = name == "kevlar_ap_entry64" ? 0 : 1;
        Assert.True((depth + entryMisalignment) % 2 == 0, $"{name}: {depth} qwords pushed before the call");
    }

    [Fact]
    public void StiHltCli_Sequence_IsAtomicIdle()
    {
        Assert.Equal([Mnemonic.Sti, Mnemonic.Hlt, Mnemonic.Cli, Mnemonic.Ret], Function("kevlar_sti_hlt_cli").Select(i => i.Mnemonic));
    }

    [Fact]
    public void SaveContext_Stores_CalleeSavedRegistersAndCallerRsp()
    {
        var code = Function("kevlar_save_context");
        var stores = code.Where(i => i.Mnemonic == Mnemonic.Mov && i.Op0Kind == OpKind.Memory)
            .ToDictionary(i => (long)i.MemoryDisplacement64, i => i.Op1Register);
        Assert.All(code.Where(i => i.Op0Kind == OpKind.Memory), i => Assert.Equal(Register.RDI, i.MemoryBase));
        Assert.Equal(Register.RBX, stores[0]);
        Assert.Equal(Register.RBP, stores[8]);
        Assert.Equal(Register.R12, stores[16]);
        Assert.Equal(Register.R13, stores[24]);
        Assert.Equal(Register.R14, stores[32]);
        Assert.Equal(Register.R15, stores[40]);
        var lea = code.Single(i => i.Mnemonic == Mnemonic.Lea);
        Assert.Equal(Register.RSP, lea.MemoryBase);
        Assert.Equal(8UL, lea.MemoryDisplacement64);
        Assert.Equal(lea.Op0Register, stores[48]);
    }

    [Fact]
    public void InterfaceDispatch_Registers_SavedRestoredAndTailJumped()
    {
        var code = Function("RhpInitialDynamicInterfaceDispatch");
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        var pushed = code.Take(call).Where(i => i.Mnemonic == Mnemonic.Push).Select(i => i.Op0Register).ToList();
        var popped = code.Skip(call).Where(i => i.Mnemonic == Mnemonic.Pop).Select(i => i.Op0Register).ToList();
        Assert.Equal(pushed.AsEnumerable().Reverse(), popped);
        Assert.Superset(new HashSet<Register> { Register.RDI, Register.RSI, Register.RDX, Register.RCX, Register.R8, Register.R9, Register.R11 },
            pushed.ToHashSet());
        var cell = code.Take(call).Last(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.RSI);
        Assert.Equal(Register.R11, cell.Op1Register);
        Assert.Equal("KevlarResolveInterface", RelocationAt(MemoryAddress(code[call])));
        Assert.Equal(Mnemonic.Jmp, code[^1].Mnemonic);
        Assert.Equal(Register.RAX, code[^1].Op0Register);
    }

    [Fact]
    public void InterfaceDispatch_BeforeTheSlowPath_WritesOnlyScratchRegisters()
    {
        var code = Function("RhpInitialDynamicInterfaceDispatch");
        int firstPush = code.FindIndex(i => i.Mnemonic == Mnemonic.Push);
        var info = new InstructionInfoFactory();
        var written = code.Take(firstPush)
            .SelectMany(i => info.GetInfo(i).GetUsedRegisters())
            .Where(u => u.Access is OpAccess.Write or OpAccess.ReadWrite or OpAccess.CondWrite or OpAccess.ReadCondWrite)
            .Select(u => u.Register.GetFullRegister()).ToHashSet();
        written.ExceptWith([Register.RAX, Register.R10, Register.RIP]);
        Assert.Empty(written);
    }

    [Fact]
    public void ApEntry64_BeforeCall_EnablesSseAndCallsKevlarApMain()
    {
        var code = Function("kevlar_ap_entry64");
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        var cr = ControlRegisterTracker.Run(code.Take(call));
        Assert.True(cr.LastWrite("cr0")!.SetsBits(0x2) && cr.LastWrite("cr0")!.ClearsBits(0x4));
        Assert.True(cr.LastWrite("cr4")!.SetsBits(0x600));
        Assert.Equal("KevlarApMain", RelocationAt(MemoryAddress(code[call])));
        // edi (the CPU index from the trampoline) reaches the call as the first argument.
        Assert.Contains(Register.RDI, RegistersHolding(Register.RDI, code.Take(call)));
    }

    [Fact]
    public void SymbolGetters_Each_ReturnTheRelocatedAddressOfItsSymbol()
    {
        foreach (string symbol in RuntimeStubs.LinkerSymbols)
        {
            var code = Function("kevlar_sym_" + symbol.TrimStart('_'));
            Assert.Equal(2, code.Count);
            Assert.Equal(Register.RAX, code[0].Op0Register);
            Assert.Equal(symbol, RelocationAt(MemoryAddress(code[0])));
            Assert.Equal(Mnemonic.Ret, code[1].Mnemonic);
        }
    }

    [Fact]
    public void WriteBarriers_AssignRef_StoreValueAtDestination()
    {
        foreach (string name in new[] { "RhpAssignRef", "RhpCheckedAssignRef" })
        {
            var code = Function(name);
            Assert.Equal(Mnemonic.Mov, code[0].Mnemonic);
            Assert.Equal(Register.RDI, code[0].MemoryBase);
            Assert.Equal(Register.RSI, code[0].Op1Register);
            Assert.Equal(Mnemonic.Ret, code[^1].Mnemonic);
        }
    }

    [Fact]
    public void SecurityCookie_IsNonZeroData()
    {
        Assert.NotEqual(0UL, ReadUInt64(Address("__security_cookie")));
        Assert.False(Image.Symbols.Single(s => s.Name == "__security_cookie").IsFunction);
    }
}
