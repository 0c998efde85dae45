// EpollEvents: epoll's constants (linux/eventpoll.h). The readiness bits are
// poll's (PollEvents); the high bits are input flags that say how to report.
namespace Kevlar.Process.Files.Events;

public static class EpollEvents
{
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public const int EPOLL_CLOEXEC = OpenFlags.O_CLOEXEC;
    public const int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30;
    public const int EPOLLET = unchecked((int)(1u << 31));
    /// <summary>The flags that are not readiness bits.</summary>
    public const int InputFlags = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;
    /// <summary>What EPOLLEXCLUSIVE may be combined with (Linux's EPOLLEXCLUSIVE_OK_BITS).</summary>
    public const int ExclusiveOk = PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLRDNORM | PollEvents.POLLWRNORM
        | PollEvents.POLLERR | PollEvents.POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
    /// <summary>struct epoll_event is packed on x86_64: u32 events, u64 data.</summary>
    public const int EventSize = 12;
    /// <summary>epoll_wait's largest maxevents (Linux's EP_MAX_EVENTS, INT_MAX / 12).</summary>
    public const int MaxEvents = int.MaxValue / EventSize;
    /// <summary>How deep epoll sets may nest (Linux's EP_MAX_NESTS).</summary>
    public const int MaxNests = 4;
}
