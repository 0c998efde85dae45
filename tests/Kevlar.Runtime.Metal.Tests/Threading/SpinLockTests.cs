// SpinLock: mutual exclusion between real threads.
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;
using MetalSpinLock = Kevlar.Runtime.Metal.Threading.SpinLock;

namespace Kevlar.Runtime.Metal.Tests.Threading;

public unsafe class SpinLockTests
{
    [Fact]
    public void EnterExit_FourThreads_NoLostUpdates()
    {
        var shared = (long*)NativeMemory.AllocZeroed(16);
        var spin = (MetalSpinLock*)NativeMemory.AllocZeroed((nuint)sizeof(MetalSpinLock));
        try
        {
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < 200_000; i++)
                {
                    spin->Enter(Kevlar.Runtime.Threading.LockClass.HeapBlocks);
                    // A non-atomic read-modify-write of two words: torn without the lock.
                    long v = shared[0];
                    shared[1] = v;
                    shared[0] = shared[1] + 1;
                    spin->Exit();
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(800_000, shared[0]);
        }
        finally
        {
            NativeMemory.Free(shared);
            NativeMemory.Free(spin);
        }
    }
}
