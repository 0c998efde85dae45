// One entry stub per interrupt vector and the common path: push a zero error
// code where the CPU pushes none, push the vector, save every general register
// and call KevlarInterruptDispatch(frame). The frame (low to high address):
// r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax vector error
// rip cs rflags rsp ss — 22 qwords, so the call is 16-byte aligned. An
// interrupt or exception from ring 3 takes UserEntry's path instead: it leaves
// user mode rather than returning to it.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class InterruptStubs
{
    /// <summary>Vectors for which the CPU pushes an error code.</summary>
    public static bool HasErrorCode(int v) => v is 8 or 10 or 11 or 12 or 13 or 14 or 17 or 21 or 29 or 30;

    public static readonly AssemblerRegister64[] SavedOrder = [rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15];

    public static void Emit(StubImage image)
    {
        var a = new Assembler(64);
        var common = a.CreateLabel();
        var dispatch = a.CreateLabel();
        var fromUser = a.CreateLabel();
        var exports = new List<(string, Label)>();
        var stubs = new Label[256];
        for (int v = 0; v < 256; v++)
        {
            stubs[v] = a.CreateLabel();
            a.Label(ref stubs[v]);
            if (!HasErrorCode(v)) a.push(0);
            a.push(v);
            a.jmp(common);
        }
        a.Label(ref common);
        a.test(__byte_ptr[rsp + 24], 3);
        a.jnz(fromUser);
        foreach (var r in SavedOrder) a.push(r);
        a.mov(rdi, rsp);
        a.cld();
        a.call(__qword_ptr[dispatch]);
        for (int i = SavedOrder.Length - 1; i >= 0; i--) a.pop(SavedOrder[i]);
        a.add(rsp, 16);
        a.iretq();
        UserEntry.Emit(a, fromUser, exports);
        a.Label(ref dispatch);
        a.dq(0);
        var piece = image.Add(a);
        piece.Relocate(dispatch, "KevlarInterruptDispatch");
        foreach (var (name, label) in exports) piece.Export(name, label);
        // Named so that a profile or a panic names them, not the boot entry before them.
        piece.Export("kevlar_vector_stubs", stubs[0]);
        piece.Export("kevlar_interrupt_common", common);

        // The table of stub addresses the kernel builds its IDT from.
        image.Align(8);
        var table = new MemoryStream();
        for (int v = 0; v < 256; v++) table.Write(BitConverter.GetBytes(piece.Address(stubs[v])));
        image.AddData(table.ToArray(), "kevlar_isr_stubs");
    }
}
