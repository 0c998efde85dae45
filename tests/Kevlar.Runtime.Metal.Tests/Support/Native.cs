// Host twin of the one Kevlar.Runtime.Metal.Native stub the compiled-in
// sources call: SpinLock's pause while spinning.
using System.Threading;

namespace Kevlar.Runtime.Metal;

public static class Native
{
    public static void Pause() => Thread.SpinWait(1);
}
