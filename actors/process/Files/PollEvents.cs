// PollEvents: poll(2)'s event bits (asm-generic/poll.h), shared by poll,
// select and epoll (whose EPOLL* values are the same numbers).
namespace Kevlar.Process.Files;

public static class PollEvents
{
    public const int POLLIN = 0x001, POLLPRI = 0x002, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010,
        POLLNVAL = 0x020, POLLRDNORM = 0x040, POLLRDBAND = 0x080, POLLWRNORM = 0x100, POLLWRBAND = 0x200,
        POLLMSG = 0x400, POLLRDHUP = 0x2000;

    /// <summary>Reported whether asked for or not.</summary>
    public const int Always = POLLERR | POLLHUP | POLLNVAL;
}
