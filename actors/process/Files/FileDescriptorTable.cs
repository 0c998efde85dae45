// FileDescriptorTable: a process's fds → open file descriptions, with the
// close-on-exec flag per fd. Lowest free fd first, as POSIX requires. Each
// fd holds a reference on its description (OpenFile.Acquire/Release), so a
// pipe learns when its last end closes, whichever process held it.
//
// State: owned by the process. Limit: RLIMIT_NOFILE (checked by the caller's rlimit).
using System.Collections.Generic;

namespace Kevlar.Process.Files;

public sealed class FileDescriptorTable
{
    private readonly List<OpenFile?> _files = new List<OpenFile?>();
    private readonly List<bool> _closeOnExec = new List<bool>();

    /// <summary>The process whose table this is: its POSIX locks on a file go when it closes any
    /// fd of that file (Linux's locks_remove_posix in filp_close).</summary>
    public UserProcess? Process;

    /// <summary>The description behind <paramref name="fd"/>, or null for a bad fd.</summary>
    public OpenFile? Get(int fd) => fd >= 0 && fd < _files.Count ? _files[fd] : null;

    /// <summary>One past the highest fd that may be open.</summary>
    public int Count => _files.Count;

    public bool GetCloseOnExec(int fd) => fd >= 0 && fd < _files.Count && _closeOnExec[fd];

    public void SetCloseOnExec(int fd, bool value)
    {
        if (fd >= 0 && fd < _files.Count) _closeOnExec[fd] = value;
    }

    /// <summary>Installs <paramref name="file"/> at the lowest free fd ≥ <paramref name="minimum"/>
    /// below <paramref name="limit"/>: the fd, or -EMFILE.</summary>
    public int Allocate(OpenFile file, bool closeOnExec, int minimum, int limit)
    {
        for (int fd = minimum; fd < limit; fd++)
        {
            if (fd >= _files.Count) Grow(fd + 1);
            if (_files[fd] == null)
            {
                file.Acquire();
                _files[fd] = file;
                _closeOnExec[fd] = closeOnExec;
                return fd;
            }
        }
        return -Errno.EMFILE;
    }

    /// <summary>Puts <paramref name="file"/> at exactly <paramref name="fd"/>, closing what was there.</summary>
    public void Install(int fd, OpenFile file, bool closeOnExec)
    {
        if (fd >= _files.Count) Grow(fd + 1);
        file.Acquire();
        OpenFile? old = _files[fd];
        _files[fd] = file;
        _closeOnExec[fd] = closeOnExec;
        if (old == null) return;
        if (Process != null) Locks.LockCall.ReleaseProcess(Process, old);
        old.Release();
    }

    /// <summary>Closes <paramref name="fd"/>: 0 or -EBADF.</summary>
    public int Close(int fd)
    {
        OpenFile? f = Get(fd);
        if (f == null) return -Errno.EBADF;
        _files[fd] = null;
        _closeOnExec[fd] = false;
        if (Process != null) Locks.LockCall.ReleaseProcess(Process, f);
        Vfs.VfsActor? locks = f.LockActor;
        // Seeded bug: the description's flock goes with any fd, though a forked child may still hold it.
        if (Kevlar.Runtime.Diagnostics.SeededBugs.FlockReleasedOnAnyClose && locks != null) Locks.LockCall.ReleaseDescription(f, locks);
        f.Release();
        return 0;
    }

    /// <summary>Closes every fd marked close-on-exec.</summary>
    public void CloseOnExec()
    {
        for (int fd = 0; fd < _files.Count; fd++)
            if (_closeOnExec[fd]) Close(fd);
    }

    /// <summary>Closes every fd (the process exits).</summary>
    public void CloseAll()
    {
        for (int fd = 0; fd < _files.Count; fd++)
            if (_files[fd] != null) Close(fd);
    }

    /// <summary>fork: a new table with the same descriptions and close-on-exec flags.</summary>
    public FileDescriptorTable Clone()
    {
        var copy = new FileDescriptorTable();
        for (int i = 0; i < _files.Count; i++)
        {
            _files[i]?.Acquire();
            copy._files.Add(_files[i]);
            copy._closeOnExec.Add(_closeOnExec[i]);
        }
        return copy;
    }

    private void Grow(int count)
    {
        while (_files.Count < count)
        {
            _files.Add(null);
            _closeOnExec.Add(false);
        }
    }
}
