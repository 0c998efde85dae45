// Tmpfs: the in-memory filesystem (Linux mm/shmem.c without swap). Space is
// the pages regular files hold; inodes are counted. Either may be limited
// (size=, nr_inodes=), giving -ENOSPC when full. statfs reports the limits
// as shmem_statfs does: zeros when unlimited. Pages are also charged to the
// MemoryBudget all in-memory filesystems share (the kernel heap holds them).
using Kevlar.Runtime.Devices;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Filesystems;

/// <summary>An in-memory filesystem with page and inode accounting.</summary>
public sealed class Tmpfs : Filesystem
{
    /// <summary>TMPFS_MAGIC (include/uapi/linux/magic.h).</summary>
    public const long TMPFS_MAGIC = 0x01021994;

    private long _maxPages;
    private long _maxInodes;
    private MemoryBudget? _budget;
    private readonly uint _optionMode, _optionUid, _optionGid;

    public Tmpfs(ISystemClock clock, ulong device, TmpfsOptions? options = null)
        : this(clock, device, "tmpfs", TMPFS_MAGIC, options)
    {
    }

    /// <summary>An in-memory filesystem that names itself as another type (proc, sysfs): the
    /// same storage, with that type's name in /proc/mounts and magic in statfs.</summary>
    public Tmpfs(ISystemClock clock, ulong device, string typeName, long magic, TmpfsOptions? options = null)
        : base(typeName, magic, device, clock)
    {
        options ??= new TmpfsOptions();
        _maxPages = options.MaxPages;
        _maxInodes = options.MaxInodes;
        _budget = options.Budget;
        _optionMode = options.RootMode & 0xFFF;
        _optionUid = options.RootUid;
        _optionGid = options.RootGid;
        MaxFileSize = options.MaxFileSize;
        MaxLinks = options.MaxLinks;
        NewDirectory(options.RootMode, options.RootUid, options.RootGid, out DirectoryInode? root);
        Kevlar.Runtime.Diagnostics.Kassert.True(root != null, "tmpfs: no inode for the root");
        root!.LinkCount = 2;
        Root = root;
    }

    /// <summary>Pages regular files hold.</summary>
    public long PagesInUse { get; private set; }
    /// <summary>Live inodes, the root included.</summary>
    public long InodesInUse { get; private set; }

    /// <summary>Made by mount(2) for one mount and its binds and copies (not a boot filesystem that
    /// later mounts show again): it is gone with its last mount once nothing uses it.</summary>
    public bool GoesWithLastMount { get; set; }

    /// <summary>The filesystem is gone (no mount, nothing open in it, no working directory there):
    /// its pages, which only garbage now refers to, go back to the shared budget, which it leaves.</summary>
    public void Retire()
    {
        _budget?.Uncharge((int)PagesInUse);
        _budget = null;
    }

    /// <summary>A remount's new limits (shmem_reconfigure): 0, or -EINVAL when a limit is below
    /// what is in use (0 still means unlimited). Either may be left as it is with -1.</summary>
    public int Reconfigure(long maxPages, long maxInodes)
    {
        if (maxPages > 0 && maxPages < PagesInUse)
            return -Errno.EINVAL;
        if (maxInodes > 0 && maxInodes < InodesInUse)
            return -Errno.EINVAL;
        if (maxPages >= 0)
            _maxPages = maxPages;
        if (maxInodes >= 0)
            _maxInodes = maxInodes;
        return 0;
    }

    /// <summary>shmem_show_options: size (in KiB) and nr_inodes when not the defaults, mode when not
    /// 1777, uid and gid when not 0 — what /proc/mounts ends this filesystem's line with.</summary>
    public string OptionsText(long defaultPages, long defaultInodes)
    {
        var sb = new System.Text.StringBuilder();
        if (_maxPages != defaultPages)
            sb.Append(",size=").Append(_maxPages * (RegularInode.PageSize / 1024)).Append('k');
        if (_maxInodes != defaultInodes)
            sb.Append(",nr_inodes=").Append(_maxInodes);
        if (_optionMode != 0x3FF)
            sb.Append(",mode=").Append(Kevlar.Runtime.Text.NumberText.Digits(_optionMode, 8, 3));
        if (_optionUid != 0)
            sb.Append(",uid=").Append(_optionUid);
        if (_optionGid != 0)
            sb.Append(",gid=").Append(_optionGid);
        return sb.ToString();
    }

    public override void Statfs(out StatfsInfo info)
    {
        StatfsIdentity(out info);
        if (_maxPages != 0)
        {
            info.Blocks = _maxPages;
            info.Bfree = _maxPages - PagesInUse;
            if (_budget != null && _budget.FreePages < info.Bfree)
                info.Bfree = _budget.FreePages; // what can still be written: the shared budget may end first
            info.Bavail = info.Bfree;
        }
        if (_maxInodes != 0)
        {
            info.Files = _maxInodes;
            info.Ffree = _maxInodes - InodesInUse;
        }
    }

    internal override bool ChargePage()
    {
        if (_maxPages != 0 && PagesInUse >= _maxPages)
            return false;
        if (_budget != null && !_budget.TryCharge())
            return false;
        PagesInUse++;
        return true;
    }

    internal override void UnchargePages(int count)
    {
        PagesInUse -= count;
        _budget?.Uncharge(count);
    }

    protected override bool ChargeInode()
    {
        if (_maxInodes != 0 && InodesInUse >= _maxInodes)
            return false;
        InodesInUse++;
        return true;
    }

    protected override void UnchargeInode() => InodesInUse--;
}
