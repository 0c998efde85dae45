// The open files of a pseudo-terminal (pty(7)): the master (/dev/ptmx, 5:2),
// whose reads see what the slave's programs wrote (after the slave's output
// processing) and whose writes are the slave's keyboard; and the slave
// (/dev/pts/N, 136:N), an ordinary tty on the slave Terminal. Opening
// /dev/ptmx makes the pair: a PtyLink, the slave Terminal on the opener's
// CPU, and the node N in devpts (/dev/pts/N: devpts's mode=, 0600 by
// default, owned by the opener unless uid=/gid= say otherwise). grantpt is a no-op
// on Linux's devpts; unlockpt is TIOCSPTLCK 0 and ptsname TIOCGPTN. Closing
// the master hangs the slave up and removes its node; a master read after
// every slave description closed is -EIO.
using System;
using Kevlar.Process.Files.Vfs;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Tty;

public sealed class PtyMasterFile : TtyFile
{
    public const uint TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGPTLCK = 0x80045439;
    public const ulong Ptmx = (5UL << 8) | 2;
    public const uint SlaveMajor = 136;
    public readonly PtyLink Link;

    private PtyMasterFile(PtyLink link, int flags) : base(link.Slave, flags, Ptmx, 0x1B6, false)
    {
        Link = link;
    }

    /// <summary>open("/dev/ptmx"): a new pty pair and its master, or -ENOSPC when every number is in use.</summary>
    public static async KernelTask<long> OpenAsync(UserThread t, int flags, PtyMasterFile?[] opened)
    {
        ProcessHost host = t.Process.Host;
        PtyLink? link = host.Ptys.Add(host.Vfs.Types.DevptsOptions.Max);
        if (link == null) return -Errno.ENOSPC;
        var slave = new Terminal(host, link, link);
        link.Slave = slave;
        host.Scheduler.Register(slave, host.Scheduler.Platform.CurrentCpu);
        slave.Begin();
        uint euid = t.Process.Euid, egid = t.Process.Egid;
        var types = host.Vfs.Types;
        string name = NumberText.Decimal(link.Index);
        await host.Vfs.Run(t, () =>
        {
            DevptsOptions o = types.DevptsOptions;
            Kevlar.Vfs.Operations.Namespace? ns = types.DevptsNames;
            if (ns == null) return -Errno.ENOENT;
            var ctx = new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root);
            int r = ns.Mknod(ctx, name, FileType.S_IFCHR | o.Mode, DeviceNumber.Make(SlaveMajor, (uint)link.Index));
            if (r == 0 && ns.Lookup(ctx, name, false, out Kevlar.Vfs.Mounts.Location at) == 0)
                Kevlar.Vfs.Operations.Namespace.Chown(Credentials.Root, at, o.HasUid ? o.Uid : euid, o.HasGid ? o.Gid : egid);
            return r;
        });
        opened[0] = new PtyMasterFile(link, flags);
        return 0;
    }

    public override KernelTask<long> AttachAsync(UserThread t, int openFlags) => KernelTask<long>.FromResult(0);

    private bool Waits => (StatusFlags & OpenFlags.O_NONBLOCK) == 0;

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        int length = (int)Math.Min(count, (ulong)PtyLink.MasterBufferSize);
        bool waits = Waits;
        return FileCall.ReadInto(t, Terminal, () => new PtyMasterReadRequest(Link, length, waits), buffer);
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        return WriteLoop(t, buffer, count);
    }

    private async KernelTask<long> WriteLoop(UserThread t, ulong buffer, ulong count)
    {
        long done = 0;
        while ((ulong)done < count)
        {
            byte[] data = new byte[(int)Math.Min((ulong)UserCopy.Chunk, count - (ulong)done)];
            if (t.Process.UserMemory.Read(buffer + (ulong)done, data) != 0) return done > 0 ? done : -Errno.EFAULT;
            done += await FileCall.Run(t, Terminal, new PtyMasterWriteRequest(Link, data));
        }
        return done;
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
        => FileCall.Run(t, Terminal, new PtyMasterPollRequest(Link, events, waiter));

    public override KernelTask<long> IoctlAsync(UserThread t, uint request, ulong argument)
    {
        UserMemory memory = t.Process.UserMemory;
        switch (request)
        {
            case TIOCGPTN:
                return KernelTask<long>.FromResult(memory.WriteInt32(argument, Link.Index));
            case TIOCSPTLCK:
                Span<byte> b = stackalloc byte[4];
                if (memory.Read(argument, b) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
                return FileCall.Run(t, Terminal, new PtyLockRequest(Link, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b) != 0 ? 1 : 0));
            case TIOCGPTLCK:
                return LockState(t, argument);
            case TIOCSCTTY:
                return KernelTask<long>.FromResult(-Errno.ENOTTY); // a master is nobody's controlling tty here
        }
        return base.IoctlAsync(t, request, argument);
    }

    private async KernelTask<long> LockState(UserThread t, ulong argument)
    {
        long locked = await FileCall.Run(t, Terminal, new PtyLockRequest(Link, -1));
        return t.Process.UserMemory.WriteInt32(argument, (int)locked);
    }

    protected override void OnLastClose()
    {
        PtyLink link = Link;
        ProcessHost host = link.Slave.HostOf;
        link.Slave.Post(new PtyClosedMessage(link, true));
        host.Ptys.Remove(link);
        Kevlar.Vfs.Operations.Namespace? ns = host.Vfs.Types.DevptsNames;
        string name = NumberText.Decimal(link.Index);
        if (ns != null) host.Vfs.Post(() => ns.Unlink(new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root), name));
    }
}

public sealed class PtySlaveFile : TtyFile
{
    private readonly PtyLink _link;
    private bool _counted;

    public PtySlaveFile(PtyLink link, int flags, ulong rawDevice) : base(link.Slave, flags, rawDevice, 0x190, true)
    {
        _link = link;
    }

    /// <summary>Counts the open on the pty (-EIO while locked or after the master closed), then the
    /// controlling-terminal rules of any tty.</summary>
    public override KernelTask<long> AttachAsync(UserThread t, int openFlags) => Attach(t, openFlags);

    private async KernelTask<long> Attach(UserThread t, int openFlags)
    {
        long r = await FileCall.Run(t, Terminal, new PtySlaveOpenRequest(_link));
        if (r != 0) return r;
        _counted = true;
        return await base.AttachAsync(t, openFlags);
    }

    protected override void OnLastClose()
    {
        if (_counted) _link.Slave.Post(new PtyClosedMessage(_link, false));
    }
}
