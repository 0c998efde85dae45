// uname(2): struct utsname, six 65-byte fields. sysname "Linux" and a 6.x
// release, because programs (glibc among them) check them; the version
// names this kernel; the node and domain names are the caller's UTS
// namespace's (Namespaces/UtsNamespace.cs).
using System;

namespace Kevlar.Process.Syscalls;

public static class Uname
{
    private const int Field = 65;
    public const string SysName = "Linux", NodeName = "kevlar", Release = "6.1.0-kevlar", Version = "#1 SMP Kevlar.Actors (C#)",
        Machine = "x86_64", DomainName = "(none)";

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        Span<byte> b = stackalloc byte[Field * 6];
        b.Clear();
        Namespaces.UtsNames names = t.Uts.Names;
        Put(b, 0, SysName);
        Put(b, 1, names.HostName);
        Put(b, 2, Release);
        Put(b, 3, Version);
        Put(b, 4, Machine);
        Put(b, 5, names.DomainName);
        return t.Process.UserMemory.Write(a.Pointer(0), b);
    }

    private static void Put(Span<byte> b, int field, byte[] s)
    {
        for (int i = 0; i < s.Length && i < Field - 1; i++) b[field * Field + i] = s[i];
    }

    private static void Put(Span<byte> b, int field, string s)
    {
        for (int i = 0; i < s.Length && i < Field - 1; i++) b[field * Field + i] = (byte)s[i];
    }
}
