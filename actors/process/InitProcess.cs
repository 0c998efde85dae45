// InitProcess: starts the first user process (PID 1) from a path in the
// initramfs, with fds 0, 1 and 2 on the console. When it cannot be started
// the reason is printed and the machine stops with the shell's status for it
// (127 not found, 126 not executable), as `./kevlar run` reports.
using Kevlar.Process.Exec;
using Kevlar.Process.Files;
using Kevlar.Runtime.Text;

namespace Kevlar.Process;

public static class InitProcess
{
    public static void Start(ProcessHost host, int homeCpu, string path, byte[][] argv, byte[][] envp)
    {
        var process = new UserProcess(host, host.AllocatePid(), null);
        host.Init = process;
        var console = new ConsoleFile(host.Console);
        process.Files.Install(0, console, false);
        process.Files.Install(1, console, false);
        process.Files.Install(2, console, false);
        var thread = new UserThread(process, process.Pid);
        process.MainThread = thread;
        process.AddThread(thread);
        host.Scheduler.Register(thread, homeCpu);
        int r = ExecLoader.Exec(thread, path, argv, envp);
        if (r != 0)
        {
            string why = string.Concat(string.Concat("kevlar: cannot run ", path), ": ", ErrnoNames.Of(-r), "\n");
            host.Console.Write(Latin1.Encode(why) ?? new byte[0]);
            host.Control.PowerOff(r == -Errno.ENOENT ? 127 : 126);
            return;
        }
        thread.Start();
    }
}
