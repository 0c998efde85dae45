// FifoTests: a FIFO's pipe lives while an end is open and goes with the last
// close (as Linux frees a FIFO's pipe_inode_info), so opening and closing
// FIFOs leaves nothing behind in the VfsActor; an O_WRONLY|O_NONBLOCK open
// without a reader (ENXIO) leaves nothing either; the data of a FIFO whose
// ends all closed is gone.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class FifoTests
{
    private const ulong PathAt = Scratch + 0x1000, Data = Scratch + 0x2000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public FifoTests()
    {
        _p = _k.NewProcess();
        ulong path = PutString(_p, PathAt, "/tmp/fifo");
        Assert.Equal(0, _k.Call(_p, t => Mkdir.InvokeMknod(t, Args(path, 0x1000 | 0x1B6, 0))));
    }

    private long OpenFifo(int flags)
    {
        ulong path = PutString(_p, PathAt, "/tmp/fifo");
        return _k.Call(_p, t => Open.InvokeOpen(t, Args(path, (ulong)flags, 0)));
    }

    private long Close(long fd) => _k.OnCpu(_p.MainThread.Home, () => Kevlar.Process.Syscalls.Close.Invoke(_p.MainThread, Args((ulong)fd)));

    [Fact]
    public void OpenAndClose_ManyTimes_LeavesNoPipeBehind()
    {
        for (int i = 0; i < 100; i++)
        {
            long fd = OpenFifo(OpenFlags.O_RDWR);
            Assert.True(fd >= 0, $"open {fd}");
            Assert.Equal(1, _p.Host.Vfs.FifoCount);
            Assert.Equal(0, Close(fd));
            _k.Run();
        }
        Assert.Equal(0, _p.Host.Vfs.FifoCount);
    }

    [Fact]
    public void NonblockingWriterWithoutReader_IsEnxio_AndLeavesNoPipe()
    {
        Assert.Equal(Err(Errno.ENXIO), OpenFifo(OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK));
        Assert.Equal(0, _p.Host.Vfs.FifoCount);
    }

    [Fact]
    public void DataLeftWhenEveryEndCloses_IsGone()
    {
        long fd = OpenFifo(OpenFlags.O_RDWR);
        Assert.Equal(0, _p.UserMemory.Write(Data, new byte[] { 1, 2, 3 }));
        Assert.Equal(3, _k.Call(_p, t => ReadWrite.DoWrite(t, (int)fd, Data, 3)));
        Assert.Equal(0, Close(fd));
        _k.Run();
        fd = OpenFifo(OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK);
        Assert.Equal(Err(Errno.EAGAIN), _k.Call(_p, t => ReadWrite.DoRead(t, (int)fd, Data, 3)));
    }
}
