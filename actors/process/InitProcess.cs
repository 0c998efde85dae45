// InitProcess: starts the first user process (PID 1) from a path in the
// initramfs, with fds 0, 1 and 2 on /dev/console — which, as on Linux, does
// not make the console its controlling terminal. When it cannot be started
// the reason is printed and the machine stops with the shell's status for it
// (127 not found, 126 not executable), as `./kevlar run` reports.
using Kevlar.Process.Exec;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;
using Kevlar.Runtime.Text;

namespace Kevlar.Process;

public static class InitProcess
{
    public static void Start(ProcessHost host, int homeCpu, string path, byte[][] argv, byte[][] envp)
    {
        var process = new UserProcess(host, host.AllocatePid(), null);
        host.Init = process;
        var console = new ConsoleFile(host.ConsoleTty);
        process.Files.Install(0, console, false);
        process.Files.Install(1, console, false);
        process.Files.Install(2, console, false);
        var thread = new UserThread(process, process.Pid);
        process.MainThread = thread;
        process.AddThread(thread);
        host.Scheduler.Register(thread, homeCpu);
        process.EnterTable(thread);
        int r = ExecAtBoot(thread, path, argv, envp);
        if (r != 0)
        {
            string why = string.Concat(string.Concat("kevlar: cannot run ", path), ": ", ErrnoNames.Of(-r), "\n");
            host.Console.Write(Latin1.Encode(why) ?? new byte[0]);
            host.Control.PowerOff(r == -Errno.ENOENT ? 127 : 126);
            return;
        }
        thread.Start();
    }

    // The scheduler has not started: the VfsActor (home CPU 0, like this call) is used inline.
    private static int ExecAtBoot(UserThread thread, string path, byte[][] argv, byte[][] envp)
    {
        ProcessHost host = thread.Process.Host;
        var ctx = new PathContext(Credentials.Root, host.Vfs.Namespace.Mounts.Root, host.Vfs.Namespace.Mounts.Root, thread.Process.Pid);
        string given = path;
        for (int depth = 0; ; depth++)
        {
            int r = ExecutableFile.Read(host.Vfs.Namespace, ctx, path, out byte[] file, out string absolute, out FileIdentity identity);
            if (r == 0) r = ExecLoader.FollowScript(file, depth, ref path, ref argv);
            if (r < 0) return r;
            if (r == 1) continue;
            r = ExecLoader.Load(thread, given, absolute, file, argv, envp, identity);
            if (r == 0) Syscalls.Execve.Finish(thread, given);
            return r;
        }
    }

    /// <summary>Reads a file of the boot filesystem before the scheduler runs (the command line
    /// in /kevlar/argv): 0 or -errno.</summary>
    public static int ReadBootFile(ProcessHost host, string path, out byte[] contents)
    {
        Namespace ns = host.Vfs.Namespace;
        contents = new byte[0];
        var ctx = new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root);
        int r = ns.Lookup(ctx, path, true, out Location at);
        if (r != 0) return r;
        var file = at.Inode as RegularInode;
        if (file == null) return -Errno.EINVAL;
        contents = new byte[(int)file.Size];
        file.Read(0, contents);
        return 0;
    }
}
