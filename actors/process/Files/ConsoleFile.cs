// ConsoleFile: /dev/console (5:1), the system console's tty opened through
// the console device. It is the same Terminal as /dev/ttyS0, but opening it
// never makes it a controlling terminal (Linux's tty_open sets noctty for
// the console), so init, whose fds 0-2 are the console, has none and a shell
// on the console runs without job control; TIOCSCTTY still works on it.
using Kevlar.Process.Files.Tty;

namespace Kevlar.Process.Files;

public sealed class ConsoleFile : TtyFile
{
    public const ulong Device = (5UL << 8) | 1;

    public ConsoleFile(Terminal tty) : base(tty, OpenFlags.O_RDWR, Device, 0x180, false, survivesHangup: true)
    {
    }
}
