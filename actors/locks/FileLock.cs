// FileLock: one lock, held or requested — Linux's struct file_lock. Its
// owner decides what conflicts: the process for POSIX locks, the open file
// description for OFD locks and flock. Start and End are inclusive byte
// offsets; End == Eof means "to the end of the file, whatever its size".
namespace Kevlar.Locks;

/// <summary>Which family a lock belongs to (Linux's FL_POSIX, FL_OFDLCK, FL_FLOCK).</summary>
public enum LockKind
{
    Posix,
    Ofd,
    Flock,
}

public sealed class FileLock
{
    /// <summary>l_type values (fcntl.h): shared, exclusive, none.</summary>
    public const int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    /// <summary>Linux's OFFSET_MAX: the range reaches the end of the file.</summary>
    public const long Eof = long.MaxValue;

    /// <summary>The process (POSIX) or the open file description (OFD, flock): identity only.</summary>
    public readonly object Owner;
    public readonly LockKind Kind;
    /// <summary>F_RDLCK, F_WRLCK or (as a request) F_UNLCK.</summary>
    public readonly int Type;
    /// <summary>The pid /proc/locks and F_GETLK show: the process that made the lock.</summary>
    public readonly int Pid;
    /// <summary>First and last byte (inclusive); flock locks cover 0..Eof.</summary>
    public long Start, End;

    public FileLock(object owner, LockKind kind, int type, long start, long end, int pid)
    {
        Owner = owner;
        Kind = kind;
        Type = type;
        Start = start;
        End = end;
        Pid = pid;
    }

    /// <summary>A whole-file flock lock (or unlock) of <paramref name="description"/>.</summary>
    public static FileLock Flock(object description, int type, int pid) => new FileLock(description, LockKind.Flock, type, 0, Eof, pid);

    public bool Overlaps(long start, long end) => Start <= end && start <= End;

    /// <summary>Whether this lock keeps <paramref name="request"/> from being granted: another
    /// owner, a byte in common, and one of them exclusive (flock: the same whole-file rule).</summary>
    public bool Blocks(FileLock request)
    {
        if (ReferenceEquals(Owner, request.Owner)) return false;
        if (Type != F_WRLCK && request.Type != F_WRLCK) return false;
        return Overlaps(request.Start, request.End);
    }

    /// <summary>l_len for F_GETLK: 0 for a lock to the end of the file.</summary>
    public long Length => End == Eof ? 0 : End - Start + 1;
}
