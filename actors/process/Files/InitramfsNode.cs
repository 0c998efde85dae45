// InitramfsNode: one file, directory or symbolic link of the initramfs tree,
// with the attributes stat reports. Children keep archive order.
using System.Collections.Generic;
using Kevlar.Vfs;
using Kevlar.Vfs.Initramfs;

namespace Kevlar.Process.Files;

public sealed class InitramfsNode
{
    public readonly string Name;
    public InitramfsNode? Parent;
    public uint Mode;
    public ulong Inode;
    public uint Uid, Gid, LinkCount = 1, Mtime;
    public ulong RawDevice;
    public int DataOffset, DataLength;
    private List<InitramfsNode>? _children;

    public InitramfsNode(string name, uint mode, ulong inode, InitramfsNode? parent)
    {
        Name = name;
        Mode = mode;
        Inode = inode;
        Parent = parent;
    }

    public bool IsDirectory => FileType.Of(Mode) == FileType.S_IFDIR;

    public int ChildCount => _children == null ? 0 : _children.Count;

    public InitramfsNode ChildAt(int i) => _children![i];

    public InitramfsNode? Child(string name)
    {
        if (_children == null) return null;
        for (int i = 0; i < _children.Count; i++)
            if (_children[i].Name == name) return _children[i];
        return null;
    }

    public void AddChild(InitramfsNode child)
    {
        _children ??= new List<InitramfsNode>();
        _children.Add(child);
    }

    public void SetAttributes(CpioEntry e)
    {
        Mode = e.Mode;
        if (e.Ino != 0) Inode = e.Ino;
        Uid = e.Uid;
        Gid = e.Gid;
        LinkCount = e.Nlink == 0 ? 1 : e.Nlink;
        Mtime = e.Mtime;
        RawDevice = ((ulong)e.RdevMajor << 8) | e.RdevMinor;
        DataOffset = e.DataOffset;
        DataLength = e.DataLength;
    }

    /// <summary>stat's view of this node.</summary>
    public void Stat(ref FileStatus s)
    {
        s.Device = 1;
        s.Inode = Inode;
        s.LinkCount = IsDirectory ? (ulong)(2 + SubdirectoryCount()) : LinkCount;
        s.Mode = Mode;
        s.Uid = Uid;
        s.Gid = Gid;
        s.RawDevice = RawDevice;
        s.FileSize = IsDirectory ? 0 : DataLength;
        s.BlockSize = 4096;
        s.Blocks = (DataLength + 511) / 512;
        s.AccessSeconds = s.ModifySeconds = s.ChangeSeconds = Mtime;
    }

    private int SubdirectoryCount()
    {
        int n = 0;
        for (int i = 0; i < ChildCount; i++) if (_children![i].IsDirectory) n++;
        return n;
    }
}
