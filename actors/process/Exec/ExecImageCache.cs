// ExecImageCache: the loaded images of recent executables, so that exec of a
// file run before maps the same frames instead of reading and copying the file
// again (Linux maps the page cache's frames). An entry (ExecImage) is a template
// address space holding the file's segments as exec lays them out — never run —
// with their regions; exec shares its pages copy-on-write (IPageTables.ShareFrom):
// text stays one set of frames for every process running it (under QEMU its
// translated code survives from one exec to the next), data is copied on its
// first write. Entries are keyed by the inode object and its ContentVersion, so
// a file written since, or a new file under a reused inode number, misses.
//
// State: the list is owned by the VfsActor (lookups and additions happen in its
// steps, where the inode is read). An entry in use by an exec on another CPU is
// counted (ExecImage.Acquire/Release); the cache's own reference is one more, and
// the template is destroyed when the last one goes — evicted and no exec using it.
using System.Collections.Generic;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Exec;

public sealed class ExecImageCache
{
    /// <summary>Executables kept (least recently used dropped first).</summary>
    public const int Capacity = 8;

    private readonly List<ExecImage> _entries = new List<ExecImage>(); // least recently used first

    /// <summary>Entries held now.</summary>
    public int Count => _entries.Count;

    /// <summary>On the VfsActor: the image of <paramref name="inode"/> as its contents are now,
    /// acquired for the caller (who releases it), or null.</summary>
    public ExecImage? Acquire(RegularInode inode)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            ExecImage e = _entries[i];
            if (e.Inode != inode) continue;
            _entries.RemoveAt(i);
            if (e.Version != inode.ContentVersion)
            {
                e.Release(); // the file changed: the cache's reference goes
                return null;
            }
            _entries.Add(e);
            e.Acquire();
            return e;
        }
        return null;
    }

    /// <summary>On the VfsActor: keeps <paramref name="image"/>, taking over the reference its
    /// maker holds; an image of contents changed since it was read is released instead.</summary>
    public void Add(ExecImage image)
    {
        if (image.Version != image.Inode.ContentVersion)
        {
            image.Release();
            return;
        }
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Inode != image.Inode) continue;
            _entries[i].Release();
            _entries.RemoveAt(i);
            break;
        }
        _entries.Add(image);
        if (_entries.Count > Capacity)
        {
            _entries[0].Release();
            _entries.RemoveAt(0);
        }
    }

    /// <summary>On the VfsActor: drops every entry (memory is short: their frames not mapped by
    /// a process come back).</summary>
    public void Clear()
    {
        for (int i = 0; i < _entries.Count; i++) _entries[i].Release();
        _entries.Clear();
    }
}
