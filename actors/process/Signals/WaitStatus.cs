// WaitStatus: the int that wait4 stores, encoded as Linux does
// (include/uapi/linux/wait.h; WIFEXITED etc. in glibc's bits/waitstatus.h):
// exited = status << 8; killed = signal (| 0x80 with a core dump);
// stopped = (signal << 8) | 0x7f; continued = 0xffff.
namespace Kevlar.Process.Signals;

public static class WaitStatus
{
    public static int Exited(int status) => (status & 0xFF) << 8;

    public static int Killed(int signal, bool coreDumped) => (signal & 0x7F) | (coreDumped ? 0x80 : 0);

    public static int Stopped(int signal) => ((signal & 0xFF) << 8) | 0x7F;

    public const int Continued = 0xFFFF;

    /// <summary>What a shell reports as the exit status: the code, or 128 + the signal.</summary>
    public static int ShellStatus(int waitStatus)
    {
        int low = waitStatus & 0x7F;
        return low == 0 ? (waitStatus >> 8) & 0xFF : 128 + low;
    }
}
