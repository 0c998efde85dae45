// Getdents64Tests: getdents64(2) writes struct linux_dirent64 records
// (d_ino u64, d_off s64, d_reclen u16, d_type u8, name, NUL, 8-byte padding)
// that parse back to the directory's names, continuing where it stopped.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class Getdents64Tests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public Getdents64Tests()
    {
        _p = _k.NewProcess();
    }

    private int OpenDir(string path) => OpenPath(path, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);

    private int OpenPath(string path, int flags)
    {
        ulong at = PutString(_p, Scratch, path);
        long fd = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, at, flags, 0));
        Assert.True(fd >= 0, path + ": " + fd);
        return (int)fd;
    }

    private long Getdents(int fd, ulong buffer, ulong count) => _k.Call(_p, t => Getdents64.Invoke(t, Args(I(fd), buffer, count)));

    private static List<(ulong Ino, long Off, string Name, byte Type)> Parse(byte[] b)
    {
        var records = new List<(ulong, long, string, byte)>();
        for (int at = 0; at < b.Length;)
        {
            ulong ino = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
            long off = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at + 8));
            int reclen = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 16));
            byte type = b[at + 18];
            int nul = Array.IndexOf(b, (byte)0, at + 19);
            Assert.True(reclen % 8 == 0 && nul < at + reclen, "record at " + at);
            records.Add((ino, off, Encoding.Latin1.GetString(b, at + 19, nul - at - 19), type));
            at += reclen;
        }
        return records;
    }

    [Fact]
    public void Invoke_DirectoryFd_RecordsParseBackToItsEntries()
    {
        int fd = OpenDir("/dir");

        long n = Getdents(fd, Buf, 4096);

        var records = Parse(Get(_p, Buf, (int)n));
        Assert.Equal(new[] { ".", ".." }.Concat(SampleInitramfs.DirNames), records.Select(r => r.Name));
        Assert.Equal(new[] { Dirent64.DT_DIR, Dirent64.DT_DIR, Dirent64.DT_REG, Dirent64.DT_REG, Dirent64.DT_DIR },
            records.Select(r => r.Type));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, records.Select(r => r.Off));
        Assert.Equal(records.Count, records.Select(r => r.Ino).Distinct().Count());
        Assert.Equal(0, Getdents(fd, Buf, 4096));
    }

    [Fact]
    public void Invoke_SmallBuffer_ReturnsWhatFitsAndContinuesNextTime()
    {
        int fd = OpenDir("/dir");
        var names = new List<string>();

        for (long n; (n = Getdents(fd, Buf, 48)) > 0;)
            names.AddRange(Parse(Get(_p, Buf, (int)n)).Select(r => r.Name));

        Assert.Equal(new[] { ".", ".." }.Concat(SampleInitramfs.DirNames), names);
    }

    [Fact]
    public void Invoke_BufferSmallerThanOneRecord_ReturnsEinval()
    {
        int fd = OpenDir("/dir");

        Assert.Equal(Err(Errno.EINVAL), Getdents(fd, Buf, 8));
    }

    [Fact]
    public void Invoke_RegularFile_ReturnsEnotdir()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.ENOTDIR), Getdents(fd, Buf, 4096));
        Assert.Equal(Err(Errno.ENOTDIR), Getdents(1, Buf, 4096));
    }

    [Fact]
    public void Invoke_FdNotOpen_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Getdents(42, Buf, 4096));
    }

    [Fact]
    public void Invoke_BufferUnmapped_ReturnsEfault()
    {
        int fd = OpenDir("/dir");

        Assert.Equal(Err(Errno.EFAULT), Getdents(fd, 0x30_0000, 4096));
    }

    [Fact]
    public void Invoke_AfterEfault_StillListsEveryEntry()
    {
        int fd = OpenDir("/dir");
        Assert.Equal(Err(Errno.EFAULT), Getdents(fd, 0x30_0000, 4096));

        long n = Getdents(fd, Buf, 4096);

        Assert.Equal(5, Parse(Get(_p, Buf, (int)n)).Count);
    }

    [Fact]
    public void Invoke_RecordsCarryTheInodeNumbersStatReports()
    {
        int fd = OpenDir("/dir");

        var records = Parse(Get(_p, Buf, (int)Getdents(fd, Buf, 4096)));

        Assert.Equal(new[] { "/dir", "/", "/dir/a", "/dir/b", "/dir/sub" }.Select(path => _k.Lookup(path).Inode.Number),
            records.Select(r => r.Ino));
    }

    [Fact]
    public void Invoke_FileCreatedInTheDirectory_IsListed()
    {
        Assert.True(OpenPath("/dir/new", OpenFlags.O_WRONLY | OpenFlags.O_CREAT) >= 0);
        int fd = OpenDir("/dir");

        var records = Parse(Get(_p, Buf, (int)Getdents(fd, Buf, 4096)));

        Assert.Equal(new[] { ".", ".." }.Concat(SampleInitramfs.DirNames).Append("new").Order(), records.Select(r => r.Name).Order());
        Assert.Equal(Dirent64.DT_REG, records.Single(r => r.Name == "new").Type);
    }

    [Fact]
    public void Invoke_TheDevMount_ListsItsDeviceNodesAsCharacterDevices()
    {
        int fd = OpenDir("/dev");

        var records = Parse(Get(_p, Buf, (int)Getdents(fd, Buf, 4096)));

        Assert.Contains(("null", Dirent64.DT_CHR), records.Select(r => (r.Name, r.Type)));
        Assert.Contains(("pts", Dirent64.DT_DIR), records.Select(r => (r.Name, r.Type)));
        Assert.Contains(("stdout", Dirent64.DT_LNK), records.Select(r => (r.Name, r.Type)));
    }
}
