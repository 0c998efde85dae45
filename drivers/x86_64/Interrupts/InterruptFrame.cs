// The register frame the interrupt stubs build (see StubGen/InterruptStubs.cs):
// general registers in push order reversed, the vector and error code, then
// what the CPU pushed. 22 qwords.
using System.Runtime.InteropServices;

namespace Kevlar.Drivers.X86_64.Interrupts;

[StructLayout(LayoutKind.Sequential)]
public struct InterruptFrame
{
    public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
    public ulong Vector, ErrorCode;
    public ulong Rip, Cs, Rflags, Rsp, Ss;
}
