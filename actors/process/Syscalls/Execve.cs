// execve(2): reads the path and the argv and envp arrays from user memory
// (each string at most MAX_ARG_STRLEN, -E2BIG past the budget, -EFAULT for a
// bad pointer anywhere), then ExecLoader replaces the image. On success the
// registers are the new program's; signal handlers go back to SIG_DFL and the
// thread takes the program's name.
using System.Collections.Generic;
using Kevlar.Process.Exec;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Syscalls;

public static class Execve
{
    private const int MaxStrings = 0x7FFFFFFF / 8;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a) => Start(t, a.Pointer(0), a.Pointer(1), a.Pointer(2));

    public static KernelTask<long> Start(UserThread t, ulong pathAddress, ulong argvAddress, ulong envpAddress)
    {
        UserProcess p = t.Process;
        int r = PathLookup.ReadPath(p, pathAddress, out string path);
        if (r == 0 && path.Length == 0) r = -Errno.ENOENT;
        byte[][] argv = new byte[0][], envp = new byte[0][];
        if (r == 0) r = ReadStrings(p, argvAddress, out argv);
        if (r == 0) r = ReadStrings(p, envpAddress, out envp);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return Run(t, path, argv, envp);
    }

    // Reads the file (and any "#!" interpreter) through the VfsActor, then loads it here.
    private static async KernelTask<long> Run(UserThread t, string path, byte[][] argv, byte[][] envp)
    {
        UserProcess p = t.Process;
        PathLookup.Context(p, PathLookup.AT_FDCWD, path, out PathContext ctx);
        Namespace ns = p.Host.Vfs.Namespace;
        string given = path;
        for (int depth = 0; ; depth++)
        {
            var file = new byte[1][];
            var absolute = new string[1];
            var identity = new FileIdentity[1];
            var source = new ExecSource[1];
            string current = path;
            ExecImageCache cache = p.Host.ExecImages;
            long read = await p.Host.Vfs.Run(t, () => ExecutableFile.Read(ns, ctx, current, cache, out file[0], out absolute[0], out identity[0], out source[0]));
            if (read != 0) return read;
            int script = source[0].Cached != null ? 0 : ExecLoader.FollowScript(file[0], depth, ref path, ref argv);
            if (script < 0) return script;
            if (script == 1) continue;
            // AT_EXECFN and the name are what execve was given (the script, for a script).
            int r = ExecLoader.Load(t, given, absolute[0], file[0], argv, envp, identity[0], source[0]);
            source[0].Cached?.Release();
            if (r != 0) return r;
            Finish(t, given);
            return 0;
        }
    }

    /// <summary>What follows a successful load: the image is the thread's alone.</summary>
    public static void Finish(UserThread t, string path)
    {
        UserProcess p = t.Process;
        p.KeepOnlyThread(t); // the other threads die with the old image
        p.HasExeced = true;
        p.SignalActions.ResetForExec();
        t.AltStackBase = 0;
        t.AltStackSize = 0;
        t.AltStackFlags = 2;
        t.Name = NameOf(path);
    }

    // A NULL array pointer is an empty array, as Linux accepts.
    private static int ReadStrings(UserProcess p, ulong array, out byte[][] strings)
    {
        strings = new byte[0][];
        if (array == 0) return 0;
        var list = new List<byte[]>();
        ulong total = 0;
        for (int i = 0; i < MaxStrings; i++)
        {
            int r = p.UserMemory.ReadUInt64(array + (ulong)i * 8, out ulong at);
            if (r != 0) return r;
            if (at == 0) break;
            r = p.UserMemory.ReadCString(at, (int)ArgumentLimits.MaxArgStrlen, out byte[] s);
            if (r == -Errno.ENAMETOOLONG) return -Errno.E2BIG;
            if (r != 0) return r;
            total += (ulong)s.Length + 1 + 8;
            if (total > ArgumentLimits.ForStackLimit(p.Limits.Soft(ResourceLimits.RLIMIT_STACK))) return -Errno.E2BIG;
            list.Add(s);
        }
        strings = list.ToArray();
        return 0;
    }

    private static byte[] NameOf(string path)
    {
        int slash = path.LastIndexOf('/');
        string name = slash >= 0 ? path.Substring(slash + 1) : path;
        var comm = new byte[16];
        byte[] bytes = Latin1.Encode(name) ?? new byte[0];
        for (int i = 0; i < bytes.Length && i < 15; i++) comm[i] = bytes[i];
        return comm;
    }
}
