// Small leaf functions the C# kernel calls through [RuntimeImport] (SysV ABI:
// arguments in rdi, rsi, rdx, rcx; result in rax): port I/O, control and
// model-specific registers, descriptor tables, halting, the context save the
// collector scans, the stack switch, write barriers and interface dispatch.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class RuntimeStubs
{
    /// <summary>Where CpuLocal keeps the CPU's write-barrier switch (checked at boot, CpuLocal.Install).</summary>
    public const int CpuGcBarrier = 396;

    /// <summary>Linker-defined or ilc-emitted symbols the kernel needs the address of.</summary>
    public static readonly string[] LinkerSymbols =
        ["__ReadyToRunHeader", "__image_start", "__text_start", "__text_end", "__rodata_start", "__data_start", "__bss_start", "__bss_end", "__image_end",
         "kevlar_isr_stubs", "kevlar_ap_trampoline", "kevlar_ap_trampoline_end", "kevlar_ap_trampoline_fields", "kevlar_syscall_entry",
         "kevlar_vdso_image", "kevlar_vdso_image_end"];

    private static AssemblerRegisterXMM XmmArgument(int i) => i switch
    {
        0 => xmm0, 1 => xmm1, 2 => xmm2, 3 => xmm3, 4 => xmm4, 5 => xmm5, 6 => xmm6, _ => xmm7,
    };

    public static void Emit(StubImage image)
    {
        var a = new Assembler(64);
        var exports = new List<(string, Label)>();
        void Fn(string name, Action body)
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            body();
            exports.Add((name, l));
        }

        Fn("kevlar_out8", () => { a.mov(edx, edi); a.mov(eax, esi); a.@out(dx, al); a.ret(); });
        Fn("kevlar_out16", () => { a.mov(edx, edi); a.mov(eax, esi); a.@out(dx, ax); a.ret(); });
        Fn("kevlar_out32", () => { a.mov(edx, edi); a.mov(eax, esi); a.@out(dx, eax); a.ret(); });
        Fn("kevlar_in8", () => { a.mov(edx, edi); a.xor(eax, eax); a.@in(al, dx); a.ret(); });
        Fn("kevlar_in16", () => { a.mov(edx, edi); a.xor(eax, eax); a.@in(ax, dx); a.ret(); });
        Fn("kevlar_in32", () => { a.mov(edx, edi); a.@in(eax, dx); a.ret(); });

        Fn("kevlar_read_cr0", () => { a.mov(rax, cr0); a.ret(); });
        Fn("kevlar_read_cr2", () => { a.mov(rax, cr2); a.ret(); });
        Fn("kevlar_read_cr3", () => { a.mov(rax, cr3); a.ret(); });
        Fn("kevlar_read_cr4", () => { a.mov(rax, cr4); a.ret(); });
        Fn("kevlar_write_cr0", () => { a.mov(cr0, rdi); a.ret(); });
        Fn("kevlar_write_cr3", () => { a.mov(cr3, rdi); a.ret(); });
        Fn("kevlar_write_cr4", () => { a.mov(cr4, rdi); a.ret(); });
        Fn("kevlar_rdmsr", () => { a.mov(ecx, edi); a.rdmsr(); a.shl(rdx, 32); a.or(rax, rdx); a.ret(); });
        Fn("kevlar_wrmsr", () => { a.mov(ecx, edi); a.mov(eax, esi); a.mov(rdx, rsi); a.shr(rdx, 32); a.wrmsr(); a.ret(); });
        Fn("kevlar_rdtsc", () => { a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx); a.ret(); });
        // cpuid(leaf, subleaf, uint* out4)
        Fn("kevlar_cpuid", () =>
        {
            a.push(rbx);
            a.mov(r8, rdx);
            a.mov(eax, edi);
            a.mov(ecx, esi);
            a.cpuid();
            a.mov(__dword_ptr[r8], eax);
            a.mov(__dword_ptr[r8 + 4], ebx);
            a.mov(__dword_ptr[r8 + 8], ecx);
            a.mov(__dword_ptr[r8 + 12], edx);
            a.pop(rbx);
            a.ret();
        });

        Fn("kevlar_lgdt", () => { a.lgdt(__[rdi]); a.ret(); });
        Fn("kevlar_lidt", () => { a.lidt(__[rdi]); a.ret(); });
        Fn("kevlar_ltr", () => { a.ltr(di); a.ret(); });
        // reload_segments(code, data): reload data segments, then CS with a far return.
        Fn("kevlar_reload_segments", () =>
        {
            var after = a.CreateLabel();
            a.mov(eax, esi);
            a.mov(ds, ax);
            a.mov(es, ax);
            a.mov(ss, ax);
            a.push(rdi);
            a.lea(rax, __[after]);
            a.push(rax);
            a.db(0x48, 0xCB); // retfq
            a.Label(ref after);
            a.ret();
        });
        Fn("kevlar_invlpg", () => { a.invlpg(__[rdi]); a.ret(); });

        Fn("kevlar_cli", () => { a.cli(); a.ret(); });
        Fn("kevlar_sti", () => { a.sti(); a.ret(); });
        // sti's one-instruction shadow makes sti;hlt atomic: an interrupt pending
        // since before the sti (say a wakeup IPI) ends the hlt instead of being lost.
        Fn("kevlar_sti_hlt_cli", () => { a.sti(); a.hlt(); a.cli(); a.ret(); });
        Fn("kevlar_pause", () => { a.pause(); a.ret(); });
        Fn("kevlar_read_rsp", () => { a.lea(rax, __[rsp + 8]); a.ret(); });
        Fn("kevlar_read_rbp", () => { a.mov(rax, rbp); a.ret(); });
        Fn("kevlar_read_rflags", () => { a.pushfq(); a.pop(rax); a.ret(); });
        Fn("kevlar_read_gs0", () => { a.mov(rax, __qword_ptr.gs[0]); a.ret(); });
        Fn("kevlar_ud2", () => { a.ud2(); });

        // save_context(ulong* out7): callee-saved registers and the caller's rsp,
        // so the collector can scan them conservatively.
        Fn("kevlar_save_context", () =>
        {
            a.mov(__qword_ptr[rdi], rbx);
            a.mov(__qword_ptr[rdi + 8], rbp);
            a.mov(__qword_ptr[rdi + 16], r12);
            a.mov(__qword_ptr[rdi + 24], r13);
            a.mov(__qword_ptr[rdi + 32], r14);
            a.mov(__qword_ptr[rdi + 40], r15);
            a.lea(rax, __[rsp + 8]);
            a.mov(__qword_ptr[rdi + 48], rax);
            a.ret();
        });

        // switch_stack(top, fn, arg): call fn(arg) on a new stack; fn never returns.
        Fn("kevlar_switch_stack", () =>
        {
            var spin = a.CreateLabel();
            a.mov(rsp, rdi);
            a.xor(ebp, ebp);
            a.mov(rdi, rdx);
            a.call(rsi);
            a.Label(ref spin);
            a.cli();
            a.hlt();
            a.jmp(spin);
        });

        // Write barriers: the store, then, while this CPU's switch is on (a concurrent mark runs:
        // runtime/metal/Memory/GcHeap.Concurrent.cs), KevlarGcShade(value) greys the stored value.
        // The JIT lets these helpers clobber every caller-saved register (x64's
        // RBM_CALLEE_TRASH_WRITEBARRIER) except that RhpByRefAssignRef leaves rdi and rsi
        // advanced; the rare slow path keeps every integer register anyway.
        var shade = a.CreateLabel();
        // 9 pushes after the return address leave rsp 16-byte aligned for the call.
        void ShadeAndReturn(AssemblerRegister64 value)
        {
            var done = a.CreateLabel();
            a.cmp(__dword_ptr.gs[CpuGcBarrier], 0);
            a.je(done);
            a.push(rdi); a.push(rsi); a.push(rdx); a.push(rcx); a.push(rax); a.push(r8); a.push(r9); a.push(r10); a.push(r11);
            a.mov(rdi, value);
            a.call(__qword_ptr[shade]);
            a.pop(r11); a.pop(r10); a.pop(r9); a.pop(r8); a.pop(rax); a.pop(rcx); a.pop(rdx); a.pop(rsi); a.pop(rdi);
            a.Label(ref done);
            a.ret();
        }
        Fn("RhpAssignRef", () => { a.mov(__qword_ptr[rdi], rsi); ShadeAndReturn(rsi); });
        Fn("RhpCheckedAssignRef", () => { a.mov(__qword_ptr[rdi], rsi); ShadeAndReturn(rsi); });
        Fn("RhpByRefAssignRef", () =>
        {
            a.mov(rcx, __qword_ptr[rsi]);
            a.mov(__qword_ptr[rdi], rcx);
            a.add(rdi, 8);
            a.add(rsi, 8);
            ShadeAndReturn(rcx);
        });

        // Interface dispatch: r11 = the dispatch cell, rdi = this. First this
        // CPU's cache (gs:[8], 256 entries {cell, type, target} at index
        // (cell >> 4) & 255; see runtime/metal/Exports/InterfaceDispatch.cs),
        // using only the scratch registers rax and r10; on a miss ask C#
        // (KevlarResolveInterface(this, cell) -> code) and tail-jump there with
        // the argument registers intact.
        var resolve = a.CreateLabel();
        Fn("kevlar_dispatch_cache", () => { a.mov(rax, __qword_ptr.gs[8]); a.ret(); });
        Fn("RhpInitialDynamicInterfaceDispatch", () =>
        {
            var miss = a.CreateLabel();
            a.mov(r10, __qword_ptr.gs[8]);
            a.test(r10, r10);
            a.jz(miss);
            a.mov(rax, r11);
            a.shr(rax, 4);
            a.and(eax, 255);
            a.lea(rax, __[rax + rax * 2]);
            a.lea(r10, __[r10 + rax * 8]);
            a.cmp(__qword_ptr[r10], r11);
            a.jne(miss);
            a.mov(rax, __qword_ptr[rdi]);
            a.cmp(__qword_ptr[r10 + 8], rax);
            a.jne(miss);
            a.jmp(__qword_ptr[r10 + 16]);
            a.Label(ref miss);
            a.push(rdi); a.push(rsi); a.push(rdx); a.push(rcx); a.push(r8); a.push(r9); a.push(r11);
            // Floating-point arguments too: the resolver may use SSE. 7 pushes + the return
            // address keep rsp 16-byte aligned, and 128 more bytes keep it so for the call.
            a.sub(rsp, 128);
            for (int i = 0; i < 8; i++) a.movdqu(__xmmword_ptr[rsp + 16 * i], XmmArgument(i));
            a.mov(rsi, r11);
            a.call(__qword_ptr[resolve]);
            for (int i = 0; i < 8; i++) a.movdqu(XmmArgument(i), __xmmword_ptr[rsp + 16 * i]);
            a.add(rsp, 128);
            a.pop(r11); a.pop(r9); a.pop(r8); a.pop(rcx); a.pop(rdx); a.pop(rsi); a.pop(rdi);
            a.jmp(rax);
        });

        // The 64-bit AP entry the trampoline jumps to: edi = CPU index.
        var apMain = a.CreateLabel();
        Fn("kevlar_ap_entry64", () =>
        {
            var spin = a.CreateLabel();
            a.mov(ebx, edi);
            BootEntry.SetGsBase(a, StubImage.Base + BootEntry.BootCpuLocalOffset);
            BootEntry.EnableSse(a);
            a.mov(edi, ebx);
            a.call(__qword_ptr[apMain]);
            a.Label(ref spin);
            a.cli();
            a.hlt();
            a.jmp(spin);
        });

        // Addresses the linker knows: kevlar_sym_NAME() returns the address of NAME (leading _ dropped).
        // Labels are structs that record their position when placed, so keep them in an array.
        var symbolSlots = new Label[LinkerSymbols.Length];
        for (int i = 0; i < LinkerSymbols.Length; i++)
        {
            symbolSlots[i] = a.CreateLabel();
            var slot = symbolSlots[i];
            Fn("kevlar_sym_" + LinkerSymbols[i].TrimStart('_'), () => { a.mov(rax, __qword_ptr[slot]); a.ret(); });
        }

        a.Label(ref resolve);
        a.dq(0);
        a.Label(ref shade);
        a.dq(0);
        a.Label(ref apMain);
        a.dq(0);
        for (int i = 0; i < symbolSlots.Length; i++)
        {
            a.Label(ref symbolSlots[i]);
            a.dq(0);
        }
        var piece = image.Add(a);
        foreach (var (name, label) in exports) piece.Export(name, label);
        piece.Relocate(resolve, "KevlarResolveInterface");
        piece.Relocate(shade, "KevlarGcShade");
        piece.Relocate(apMain, "KevlarApMain");
        for (int i = 0; i < symbolSlots.Length; i++)
            piece.Relocate(symbolSlots[i], LinkerSymbols[i]);
    }
}
