// SocketActor: what every socket's actor (UnixSocket, InetSocket,
// NetlinkSocket) keeps alike — the threads waiting to read and to write, and
// the edge counts epoll compares (a change that may have made POLLIN or
// POLLOUT true bumps one and wakes that side's waiters), and its sockfs
// inode number.
// State: Readers, Writers and the counts are touched only on Home; the counts
// are read from any CPU as hints (Volatile).
using System.Threading;

namespace Kevlar.Process.Files.Sockets;

public abstract class SocketActor : FileOwner
{
    protected readonly WaitQueue Readers = new WaitQueue();
    protected readonly WaitQueue Writers = new WaitQueue();
    private long _inputEdges, _outputEdges;

    /// <summary>The socket's inode number (sockfs numbers each socket).</summary>
    public readonly ulong Inode = SocketFile.NewInode();

    /// <summary>Changes that may have made <paramref name="events"/> true here (input: data, a
    /// connection, a hangup, an error; output: room made); read from any CPU as a hint.</summary>
    public ulong Edges(int events)
    {
        ulong n = 0;
        if ((events & (PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDHUP)) != 0) n += (ulong)Volatile.Read(ref _inputEdges);
        if ((events & (PollEvents.POLLOUT | PollEvents.POLLWRNORM)) != 0) n += (ulong)Volatile.Read(ref _outputEdges);
        return n;
    }

    protected void InputChanged(int events)
    {
        Volatile.Write(ref _inputEdges, _inputEdges + 1);
        Readers.Wake(Scheduler!, events);
    }

    protected void OutputChanged()
    {
        Volatile.Write(ref _outputEdges, _outputEdges + 1);
        Writers.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLERR);
    }
}
