// ExecImage: one executable as exec lays it out, kept by ExecImageCache — the
// parsed ELF, a template address space holding its segments' pages (never run),
// the regions they form, and where the heap starts. Exec shares the template's
// pages copy-on-write into the new image.
//
// State: immutable once made, apart from the count of its users, which execs on
// any CPU change atomically; the template is destroyed by the last Release.
using System.Threading;
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Exec;

public sealed class ExecImage
{
    /// <summary>The file and the ContentVersion it was read at.</summary>
    public readonly RegularInode Inode;
    public readonly int Version;
    public readonly ElfImage Elf;
    public readonly IPageTables Template;
    /// <summary>The image's regions (their Name is the path it was first run by).</summary>
    public readonly MemoryRegion[] Regions;
    /// <summary>The first address past the image: where brk starts.</summary>
    public readonly ulong Brk;
    private int _users = 1; // its maker's reference, passed on to the cache

    public ExecImage(RegularInode inode, int version, ElfImage elf, IPageTables template, MemoryRegion[] regions, ulong brk)
    {
        Inode = inode;
        Version = version;
        Elf = elf;
        Template = template;
        Regions = regions;
        Brk = brk;
    }

    internal void Acquire() => Interlocked.Increment(ref _users);

    /// <summary>One user is done with it; the last destroys the template (no space runs it).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0) Template.Destroy();
    }
}
