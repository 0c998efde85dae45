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
        return SetId(ref p.Uid, ref p.Euid, ref p.Suid, a.UInt(0), p.Euid == 0);
    }

    public static long Setgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        return SetId(ref p.Gid, ref p.Egid, ref p.Sgid, a.UInt(0), p.Euid == 0);
    }

    public static long Setresuid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        return SetRes(ref p.Uid, ref p.Euid, ref p.Suid, a.UInt(0), a.UInt(1), a.UInt(2), p.Euid == 0);
    }

    public static long Setresgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        return SetRes(ref p.Gid, ref p.Egid, ref p.Sgid, a.UInt(0), a.UInt(1), a.UInt(2), p.Euid == 0);
    }

    public static long Setreuid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        return SetRe(ref p.Uid, ref p.Euid, ref p.Suid, a.UInt(0), a.UInt(1), p.Euid == 0);
    }

    public static long Setregid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        return SetRe(ref p.Gid, ref p.Egid, ref p.Sgid, a.UInt(0), a.UInt(1), p.Euid == 0);
    }

    // setuid/setgid: privileged sets all three; others only the effective id, to the real or saved one.
    private static long SetId(ref uint real, ref uint effective, ref uint saved, uint id, bool privileged)
    {
        if (id == Unchanged) return -Errno.EINVAL;
        if (privileged)
        {
            real = effective = saved = id;
            return 0;
        }
        if (id != real && id != saved) return -Errno.EPERM;
        effective = id;
        return 0;
    }

    // setresuid/setresgid: unprivileged callers may only pick among their current three ids.
    private static long SetRes(ref uint real, ref uint effective, ref uint saved, uint r, uint e, uint s, bool privileged)
    {
        if (!privileged && (!Allowed(r, real, effective, saved) || !Allowed(e, real, effective, saved) || !Allowed(s, real, effective, saved)))
            return -Errno.EPERM;
        if (r != Unchanged) real = r;
        if (e != Unchanged) effective = e;
        if (s != Unchanged) saved = s;
        return 0;
    }

    // setreuid/setregid: a changed real id, or an effective id other than the old real one, also sets the saved id.
    private static long SetRe(ref uint real, ref uint effective, ref uint saved, uint r, uint e, bool privileged)
    {
        if (!privileged && ((r != Unchanged && r != real && r != effective) || !Allowed(e, real, effective, saved))) return -Errno.EPERM;
        uint oldReal = real;
        if (r != Unchanged) real = r;
        if (e != Unchanged) effective = e;
        if (r != Unchanged || (e != Unchanged && e != oldReal)) saved = effective;
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
