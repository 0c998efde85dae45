// The set*id family and groups (setuid, setgid, setreuid, setregid,
// setresuid, setresgid, getresuid, getresgid, getgroups, setgroups), with
// Linux's rules: root (euid 0) may set anything; others may only switch among
// their real, effective and saved ids; -1 leaves an id unchanged. An id
// above 0xFFFFFFFE is -EINVAL.
using System;

namespace Kevlar.Process.Syscalls;

public static class Credentials
{
    private const uint Unchanged = 0xFFFF_FFFF;
    public const int NgroupsMax = 65536;

    public static long Setuid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint id = a.UInt(0);
        if (id == Unchanged) return -Errno.EINVAL;
        if (p.Euid == 0) { p.Uid = p.Euid = p.Suid = id; return 0; }
        if (id != p.Uid && id != p.Suid) return -Errno.EPERM;
        p.Euid = id;
        return 0;
    }

    public static long Setgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint id = a.UInt(0);
        if (id == Unchanged) return -Errno.EINVAL;
        if (p.Euid == 0) { p.Gid = p.Egid = p.Sgid = id; return 0; }
        if (id != p.Gid && id != p.Sgid) return -Errno.EPERM;
        p.Egid = id;
        return 0;
    }

    public static long Setresuid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint r = a.UInt(0), e = a.UInt(1), s = a.UInt(2);
        if (p.Euid != 0 && (!Allowed(r, p.Uid, p.Euid, p.Suid) || !Allowed(e, p.Uid, p.Euid, p.Suid) || !Allowed(s, p.Uid, p.Euid, p.Suid)))
            return -Errno.EPERM;
        if (r != Unchanged) p.Uid = r;
        if (e != Unchanged) p.Euid = e;
        if (s != Unchanged) p.Suid = s;
        return 0;
    }

    public static long Setresgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint r = a.UInt(0), e = a.UInt(1), s = a.UInt(2);
        if (p.Euid != 0 && (!Allowed(r, p.Gid, p.Egid, p.Sgid) || !Allowed(e, p.Gid, p.Egid, p.Sgid) || !Allowed(s, p.Gid, p.Egid, p.Sgid)))
            return -Errno.EPERM;
        if (r != Unchanged) p.Gid = r;
        if (e != Unchanged) p.Egid = e;
        if (s != Unchanged) p.Sgid = s;
        return 0;
    }

    // setreuid: a changed real id, or an effective id other than the old real one, also sets the saved id.
    public static long Setreuid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint r = a.UInt(0), e = a.UInt(1);
        if (p.Euid != 0 && ((r != Unchanged && r != p.Uid && r != p.Euid) || !Allowed(e, p.Uid, p.Euid, p.Suid))) return -Errno.EPERM;
        uint oldReal = p.Uid;
        if (r != Unchanged) p.Uid = r;
        if (e != Unchanged) p.Euid = e;
        if (r != Unchanged || (e != Unchanged && e != oldReal)) p.Suid = p.Euid;
        return 0;
    }

    public static long Setregid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        uint r = a.UInt(0), e = a.UInt(1);
        if (p.Euid != 0 && ((r != Unchanged && r != p.Gid && r != p.Egid) || !Allowed(e, p.Gid, p.Egid, p.Sgid))) return -Errno.EPERM;
        uint oldReal = p.Gid;
        if (r != Unchanged) p.Gid = r;
        if (e != Unchanged) p.Egid = e;
        if (r != Unchanged || (e != Unchanged && e != oldReal)) p.Sgid = p.Egid;
        return 0;
    }

    public static long Getresuid(UserThread t, in SyscallArgs a) => WriteThree(t.Process, a, t.Process.Uid, t.Process.Euid, t.Process.Suid);

    public static long Getresgid(UserThread t, in SyscallArgs a) => WriteThree(t.Process, a, t.Process.Gid, t.Process.Egid, t.Process.Sgid);

    public static long Getgroups(UserThread t, in SyscallArgs a)
    {
        uint[] groups = t.Process.Groups;
        int size = a.Int(0);
        if (size < 0) return -Errno.EINVAL;
        if (size == 0) return groups.Length;
        if (size < groups.Length) return -Errno.EINVAL;
        for (int i = 0; i < groups.Length; i++)
        {
            int r = t.Process.UserMemory.WriteInt32(a.Pointer(1) + (ulong)i * 4, (int)groups[i]);
            if (r != 0) return r;
        }
        return groups.Length;
    }

    public static long Setgroups(UserThread t, in SyscallArgs a)
    {
        int size = a.Int(0);
        if (size < 0 || size > NgroupsMax) return -Errno.EINVAL;
        if (t.Process.Euid != 0) return -Errno.EPERM;
        var groups = new uint[size];
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < size; i++)
        {
            int r = t.Process.UserMemory.Read(a.Pointer(1) + (ulong)i * 4, b);
            if (r != 0) return r;
            groups[i] = (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
        }
        t.Process.Groups = groups;
        return 0;
    }

    private static bool Allowed(uint id, uint real, uint effective, uint saved)
        => id == Unchanged || id == real || id == effective || id == saved;

    private static long WriteThree(UserProcess p, in SyscallArgs a, uint r, uint e, uint s)
    {
        int x = p.UserMemory.WriteInt32(a.Pointer(0), (int)r);
        if (x == 0) x = p.UserMemory.WriteInt32(a.Pointer(1), (int)e);
        if (x == 0) x = p.UserMemory.WriteInt32(a.Pointer(2), (int)s);
        return x;
    }
}
