// Host twins of the two metal services the collector's sources (compiled in for
// GcWorld) call: SpinLock's pause while spinning, which gives Coyote the chance
// to run the lock's holder, and the fail-fast path, which fails the run with
// the kernel's reason instead of halting a machine.
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Runtime.Metal
{
    public static class Native
    {
        public static void Pause() => SchedulingPoint.Yield();
    }
}

namespace Kevlar.Runtime.Metal.Exports
{
    public static class FailFastExports
    {
        public static void Fail(string reason)
        {
            Specification.Assert(false, "KernelPanic: {0}", reason);
            throw new InvalidOperationException(reason); // not reached: the assertion ends the run
        }
    }
}
