using Kevlar.Locks;
using Xunit;

namespace Kevlar.Locks.Tests;

public class LockRangeTests
{
    [Theory]
    [InlineData(0, 10, 5, 0, 0, 10, 14)]
    [InlineData(0, 10, 0, 0, 0, 10, FileLock.Eof)]
    [InlineData(1, 2, 3, 100, 0, 102, 104)]
    [InlineData(2, -10, 10, 0, 50, 40, 49)]
    [InlineData(0, 10, -5, 0, 0, 5, 9)]
    [InlineData(0, 10, -10, 0, 0, 0, 9)]
    public void Resolve_ValidInput_GivesLinuxRange(int whence, long start, long len, long offset, long size, long first, long last)
    {
        Assert.Equal(0, LockRange.Resolve(whence, start, len, offset, size, out long f, out long l));
        Assert.Equal(first, f);
        Assert.Equal(last, l);
    }

    [Theory]
    [InlineData(3, 0, 0, -Errno.EINVAL)]
    [InlineData(0, -1, 0, -Errno.EINVAL)]
    [InlineData(0, 10, -11, -Errno.EINVAL)]
    [InlineData(0, long.MaxValue, 2, -Errno.EOVERFLOW)]
    public void Resolve_BadInput_GivesErrno(int whence, long start, long len, int errno)
        => Assert.Equal(errno, LockRange.Resolve(whence, start, len, 0, 0, out _, out _));
}
