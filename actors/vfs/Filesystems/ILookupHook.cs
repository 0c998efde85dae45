// ILookupHook: lets a generated filesystem (procfs, sysfs) bring a
// directory's entries up to date just before the path walk looks a name up
// in it or getdents lists it, so what a caller finds reflects live state. The
// hook runs on the namespace's owner, like every other operation.
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Filesystems;

public interface ILookupHook
{
    /// <summary>Before <paramref name="name"/> is looked up in <paramref name="dir"/>.</summary>
    void BeforeLookup(DirectoryInode dir, string name, in PathContext ctx);

    /// <summary>Before <paramref name="dir"/> is listed from the start.</summary>
    void BeforeList(DirectoryInode dir, in PathContext ctx);
}
