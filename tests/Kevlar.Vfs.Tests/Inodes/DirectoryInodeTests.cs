// DirectoryInodeTests: the getdents cursor survives insertions and removals, and
// a removed name does not keep its inode alive.
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Inodes;

public class DirectoryInodeTests
{
    private static List<string> ReadFrom(DirectoryInode dir, ref long position, int max)
    {
        var names = new List<string>();
        while (names.Count < max && dir.ReadAt(position, out DirectoryEntry? e))
        {
            names.Add(e!.Name);
            position = e.Cookie + 1;
        }
        return names;
    }

    [Fact]
    public void ReadAt_CursorAcrossChanges_SeesEachSurvivorOnceAndNewNamesAfter()
    {
        var w = new VfsWorld();
        var d = w.Dir("/d");
        for (int i = 0; i < 100; i++)
            w.File("/d/f" + i);
        long pos = 0;
        List<string> first = ReadFrom(d, ref pos, 10);
        Assert.Equal("f0", first[0]);

        for (int i = 0; i < 100; i += 2)
            Assert.Equal(0, w.Ns.Unlink(w.Root, "/d/f" + i));
        w.File("/d/late");
        List<string> rest = ReadFrom(d, ref pos, 1000);

        var expected = new List<string>();
        for (int i = 11; i < 100; i += 2)
            expected.Add("f" + i);
        expected.Add("late");
        Assert.Equal(expected, rest);
        Assert.Equal(51 * DirectoryInode.BogoEntrySize, d.Size);
    }

    [Fact]
    public void ReadAt_EmptyDirectory_EndsAtOnce()
    {
        var w = new VfsWorld();
        var d = w.Dir("/d");
        Assert.False(d.ReadAt(0, out _));
        Assert.Equal(2u, d.LinkCount);
    }

    [Fact]
    public void Unlink_OneOfFewNames_TheFileCanBeCollected()
    {
        var w = new VfsWorld();
        w.Dir("/d");
        w.File("/d/keep");
        WeakReference gone = MakeAndUnlink(w);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(gone.IsAlive);
        var d = (DirectoryInode)w.Get("/d").Inode;
        Assert.True(d.ReadAt(0, out DirectoryEntry? e) && e!.Name == "keep");
    }

    // In its own frame, so no local of the test keeps the inode.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference MakeAndUnlink(VfsWorld w)
    {
        RegularInode file = w.File("/d/big");
        file.Write(0, new byte[3 * RegularInode.PageSize]);
        var weak = new WeakReference(file);
        Assert.Equal(0, w.Ns.Unlink(w.Root, "/d/big"));
        return weak;
    }
}
