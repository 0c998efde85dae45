// BlockedLock: a request that could not be granted and whose caller waits
// (flock without LOCK_NB, F_SETLKW, F_OFD_SETLKW): the request, the table it
// waits in, and how to wake the caller. It stays in its table's blocked list
// (shown by /proc/locks as "->") until woken or abandoned.
namespace Kevlar.Locks;

public sealed class BlockedLock
{
    public readonly FileLock Request;
    public readonly FileLocks Table;
    public readonly ILockWaiter Waiter;

    public BlockedLock(FileLock request, FileLocks table, ILockWaiter waiter)
    {
        Request = request;
        Table = table;
        Waiter = waiter;
    }
}
