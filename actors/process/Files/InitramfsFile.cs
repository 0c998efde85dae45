// InitramfsFile: an open initramfs node — a regular file read at an offset,
// or a directory read by getdents64. Read-only: writes are -EBADF by the
// access mode check before they get here.
using System;

namespace Kevlar.Process.Files;

public sealed class InitramfsFile : OpenFile
{
    private readonly InitramfsFiles _files;
    public readonly InitramfsNode Node;
    private long _offset;

    public InitramfsFile(InitramfsFiles files, InitramfsNode node, int flags)
    {
        _files = files;
        Node = node;
        StatusFlags = flags;
    }

    public override bool IsDirectory => Node.IsDirectory;

    public override long Read(Span<byte> dest)
    {
        if (Node.IsDirectory) return -Errno.EISDIR;
        ReadOnlySpan<byte> data = _files.Data(Node);
        if (_offset >= data.Length) return 0;
        int n = (int)Math.Min((long)dest.Length, data.Length - _offset);
        data.Slice((int)_offset, n).CopyTo(dest);
        _offset += n;
        return n;
    }

    public override long Seek(long offset, int whence)
    {
        long size = Node.IsDirectory ? Node.ChildCount + 2 : Node.DataLength;
        long at = whence == 0 ? offset : whence == 1 ? _offset + offset : size + offset;
        if (at < 0) return -Errno.EINVAL;
        _offset = at;
        return at;
    }

    public override void Stat(ref FileStatus status) => Node.Stat(ref status);

    /// <summary>Fills dest with linux_dirent64 records from the cursor: bytes written, 0 at the
    /// end, -EINVAL when even one record does not fit.</summary>
    public override long ReadDirectory(Span<byte> dest)
    {
        if (!Node.IsDirectory) return -Errno.ENOTDIR;
        int written = 0;
        while (true)
        {
            long index = _offset;
            if (index >= Node.ChildCount + 2) break;
            InitramfsNode n = index == 0 ? Node : index == 1 ? Node.Parent! : Node.ChildAt((int)index - 2);
            string name = index == 0 ? "." : index == 1 ? ".." : n.Name;
            int len = DirectoryEntry.Write(dest.Slice(written), n.Inode, index + 1, DirectoryEntry.TypeOf(n.Mode), name);
            if (len == 0)
            {
                if (written == 0) return -Errno.EINVAL;
                break;
            }
            written += len;
            _offset++;
        }
        return written;
    }
}
