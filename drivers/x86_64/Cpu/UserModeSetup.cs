// Per-CPU set-up for user mode: the SYSCALL MSRs (Intel SDM vol. 3, 5.8.8),
// SMEP and SMAP where the CPU has them, and the fxsave scratch area. The
// stubs reach CpuLocal fields at fixed offsets; the first call checks that
// the struct compiled here still has them there.
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Drivers.X86_64.Cpu;

// Safety: writes only this CPU's MSRs, CR4 and its own CpuLocal.
public static unsafe class UserModeSetup
{
    private const uint Efer = 0xC0000080, Star = 0xC0000081, Lstar = 0xC0000082, Sfmask = 0xC0000084, FsBase = 0xC0000100, KernelGsBase = 0xC0000102;
    private const ulong EferSyscallEnable = 1;
    /// <summary>Cleared on entry: TF, IF, DF, IOPL, NT, AC.</summary>
    private const ulong SyscallFlagMask = 0x47700;
    private const ulong Cr4Smep = 1UL << 20, Cr4Smap = 1UL << 21;

    public static void InitializeThisCpu(CpuLocal* cpu)
    {
        CheckLayout(cpu);
        Native.WriteMsr(Efer, Native.ReadMsr(Efer) | EferSyscallEnable);
        // SYSRET loads CS from STAR[63:48]+16 and SS from +8 (user code 0x2B, data 0x23);
        // SYSCALL loads CS from STAR[47:32] and SS from +8 (kernel code, data).
        ulong sysretBase = (ulong)(Gdt.UserCode32 | 3);
        Native.WriteMsr(Star, (sysretBase << 48) | ((ulong)Gdt.KernelCode << 32));
        Native.WriteMsr(Lstar, Native.SyscallEntry());
        Native.WriteMsr(Sfmask, SyscallFlagMask);
        Native.WriteMsr(KernelGsBase, 0);
        Native.WriteMsr(FsBase, 0);
        cpu->LoadedFsBase = 0;
        cpu->LoadedGsBase = 0;
        uint* r = stackalloc uint[4];
        Native.Cpuid(7, 0, r);
        ulong cr4 = Native.ReadCr4();
        if ((r[1] & (1u << 7)) != 0) cr4 |= Cr4Smep;
        if ((r[1] & (1u << 20)) != 0) cr4 |= Cr4Smap;
        Native.WriteCr4(cr4);
    }

    /// <summary>Whether SMEP and SMAP are on for this CPU.</summary>
    public static bool ProtectionOn => (Native.ReadCr4() & (Cr4Smep | Cr4Smap)) == (Cr4Smep | Cr4Smap);

    private static void CheckLayout(CpuLocal* cpu)
    {
        byte* b = (byte*)cpu;
        if ((byte*)&cpu->Tss.Rsp0 - b != CpuLocal.TssRsp0Offset
            || (byte*)&cpu->UserEntryRsp - b != CpuLocal.UserEntryRspOffset
            || (byte*)&cpu->UserRegisters - b != CpuLocal.UserRegistersOffset
            || (byte*)&cpu->UserScratch - b != CpuLocal.UserScratchOffset
            || (byte*)&cpu->FpuScratch - b != CpuLocal.FpuScratchOffset
            || (byte*)&cpu->LoadedFsBase - b != CpuLocal.LoadedFsBaseOffset
            || (byte*)&cpu->LoadedGsBase - b != CpuLocal.LoadedGsBaseOffset
            || (byte*)&cpu->FpuOwner - b != CpuLocal.FpuOwnerOffset)
            FailFastExports.Fail("CpuLocal layout differs from the user-entry stubs");
    }
}
