// PipeTests: the pipe actor's protocol with readers and writers on other
// CPUs — a blocked reader holds no CPU and is woken by a writer elsewhere, a
// close reaches every waiter, Linux's page-slot fill levels and PIPE_BUF
// atomicity, F_SETPIPE_SZ's EBUSY, and a signal that ends a wait loses no data.
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class PipeTests
{
    private readonly ProcessHarness _k = new();

    /// <summary>A pipe made by <paramref name="p"/>: (read fd, write fd).</summary>
    private (int, int) NewPipe(UserProcess p, int flags = 0)
    {
        Assert.Equal(0, _k.OnCpu(p.MainThread.Home, () => PipeCreate.Do(p.MainThread, Scratch, flags)));
        return (GetInt32(p, Scratch), GetInt32(p, Scratch + 4));
    }

    private long Write(UserProcess p, int fd, string text)
    {
        byte[] b = Encoding.Latin1.GetBytes(text);
        Assert.Equal(0, p.UserMemory.Write(Scratch + 0x100, b));
        return _k.Call(p.MainThread, () => ReadWrite.DoWrite(p.MainThread, fd, Scratch + 0x100, (ulong)b.Length));
    }

    [Fact]
    public void Read_OnEmptyPipe_WaitsWithoutACpuUntilAWriterOnAnotherCpuWrites()
    {
        UserProcess reader = _k.NewProcess(cpu: 0);
        (int r, int w) = NewPipe(reader);
        UserProcess writer = _k.NewProcess(cpu: 1);
        writer.Files.Install(5, reader.Files.Get(w)!, false);

        KernelTask<long> read = _k.Start(reader.MainThread, () => ReadWrite.DoRead(reader.MainThread, r, Scratch + 0x200, 100));
        _k.Run();
        Assert.False(read.IsCompleted);

        Assert.Equal(3, Write(writer, 5, "abc"));
        _k.Run();

        Assert.True(read.IsCompleted);
        Assert.Equal(3, read.Result);
        Assert.Equal("abc", GetString(reader, Scratch + 0x200, 3));
    }

    [Fact]
    public void LastWriterClose_OnAnotherCpu_GivesTheWaitingReaderEndOfFile()
    {
        UserProcess reader = _k.NewProcess(cpu: 0);
        (int r, int w) = NewPipe(reader);
        UserProcess writer = _k.NewProcess(cpu: 1);
        writer.Files.Install(5, reader.Files.Get(w)!, false);
        reader.Files.Close(w);
        KernelTask<long> read = _k.Start(reader.MainThread, () => ReadWrite.DoRead(reader.MainThread, r, Scratch + 0x200, 100));
        _k.Run();
        Assert.False(read.IsCompleted);

        _k.OnCpu(1, () => writer.Files.Close(5));
        _k.Run();

        Assert.True(read.IsCompleted);
        Assert.Equal(0, read.Result);
    }

    [Fact]
    public void Writes_OfAThousandBytes_FillSixtyFourThousand_AsLinuxSlotsDo()
    {
        UserProcess p = _k.NewProcess();
        (_, int w) = NewPipe(p, OpenFlags.O_NONBLOCK);
        string chunk = new string('x', 1000);
        long total = 0;
        while (true)
        {
            long n = Write(p, w, chunk);
            if (n < 0)
            {
                Assert.Equal(Err(Errno.EAGAIN), n);
                break;
            }
            total += n;
        }
        Assert.Equal(64000, total);
    }

    [Fact]
    public void SetPipeSize_SmallerThanTheSlotsInUse_IsEbusy()
    {
        UserProcess p = _k.NewProcess();
        (int r, int w) = NewPipe(p);
        for (int i = 0; i < 3; i++) Assert.Equal(4096, Write(p, w, new string('y', 4096)));

        long shrink = _k.Call(p.MainThread, () => Fcntl.InvokeAsync(p.MainThread, Args((ulong)r, Fcntl.F_SETPIPE_SZ, 4096)));
        long grow = _k.Call(p.MainThread, () => Fcntl.InvokeAsync(p.MainThread, Args((ulong)r, Fcntl.F_SETPIPE_SZ, 200000)));

        Assert.Equal(Err(Errno.EBUSY), shrink);
        Assert.Equal(262144, grow);
    }

    [Fact]
    public void SignalDuringAWaitingRead_LosesNoBytes()
    {
        UserProcess reader = _k.NewProcess(cpu: 0);
        (int r, int w) = NewPipe(reader);
        UserProcess writer = _k.NewProcess(cpu: 1);
        writer.Files.Install(5, reader.Files.Get(w)!, false);
        KernelTask<long> first = _k.Start(reader.MainThread, () => ReadWrite.DoRead(reader.MainThread, r, Scratch + 0x200, 100));
        _k.Run();

        // The waiting reader gives up (as a signal makes it), then the writer writes.
        _k.OnCpu(0, () => { reader.MainThread.WaitEvent = null; return 0; });
        Assert.Equal(4, Write(writer, 5, "data"));
        _k.Run();

        long again = _k.Call(reader.MainThread, () => ReadWrite.DoRead(reader.MainThread, r, Scratch + 0x300, 100));
        Assert.Equal(4, again);
        Assert.Equal("data", GetString(reader, Scratch + 0x300, 4));
    }
}
