// SmallIoBuffer: a thread's bounce buffer for the small reads and writes an
// owner serves inline (a pipe on this CPU): the bytes go between user memory
// and the owner through it, so such a call allocates nothing. Only the
// thread's own system call uses it, and a thread runs one at a time; what it
// holds between calls is stale and never read.
namespace Kevlar.Process.Files;

public static class SmallIoBuffer
{
    public const int Size = 4096;

    public static byte[] Of(UserThread t) => t.SmallIo ??= new byte[Size];
}
