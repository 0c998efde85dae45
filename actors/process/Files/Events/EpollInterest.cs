// EpollInterest: one entry of an epoll set's interest list — the fd and the
// description it named when added (Linux keys entries by both: a dup of the
// fd is another entry), the events asked and the user's data, and how it
// reports.
//
// State: owned by the Epoll actor (touched only in its handlers). Version
// changes with every EPOLL_CTL_MOD and Removed is set by DEL (or when the
// description closed), so a round that polled an older snapshot cannot
// report or consume for the new setting. OnReadyList and Wakes are the ready
// list's (see Epoll).
namespace Kevlar.Process.Files.Events;

public sealed class EpollInterest
{
    public readonly int Fd;
    public readonly OpenFile File;
    /// <summary>The events asked, EPOLLERR and EPOLLHUP always included, with EPOLLET/EPOLLONESHOT.</summary>
    public int Events;
    public ulong Data;
    public int Version;
    public bool Removed;
    /// <summary>EPOLLONESHOT: false once reported, until EPOLL_CTL_MOD arms it again.</summary>
    public bool Armed = true;
    /// <summary>EPOLLET: the events last reported and the file's EdgeCount then; see Epoll.Decide.</summary>
    public int Reported;
    public ulong Stamp;
    /// <summary>The registration rounds leave in the file's wait queue for this setting.</summary>
    public EpollWatch? Watch;
    /// <summary>On the set's ready list: the next round polls it.</summary>
    public bool OnReadyList;
    /// <summary>How many times the watch fired: a round that saw a count older than this one cannot
    /// take the entry off the ready list (the wake may have come after its answer).</summary>
    public int Wakes;
    /// <summary>The next entry with the same fd (an fd closed and reused while its old
    /// description's entry lingers).</summary>
    public EpollInterest? SameFd;
    /// <summary>The entry's index in the set's list of all entries.</summary>
    public int Slot;

    public EpollInterest(int fd, OpenFile file)
    {
        Fd = fd;
        File = file;
    }

    /// <summary>The readiness bits to poll for (the input flags removed).</summary>
    public static int Wanted(int events) => events & ~EpollEvents.InputFlags;

    public bool EdgeTriggered => (Events & EpollEvents.EPOLLET) != 0;
}

/// <summary>What a round polls for one interest: a copy made on the Epoll's CPU, so the polling
/// thread reads nothing the owner may change. Asked is filled in by the round: the events it
/// polled for (the file registered the watch when none of them, nor POLLERR/POLLHUP, held).</summary>
public struct EpollProbe
{
    public EpollInterest Interest;
    public EpollWatch Watch;
    public int Events, Version, Reported, Wakes, Asked;
    public ulong Stamp;
}
