// Starting user space: when QEMU loaded an initramfs, the process subsystem
// gets the metal services and PID 1 starts from it — the command in
// /kevlar/argv (NUL-separated words, written by `./kevlar run`) or else /init.
using System;
using Kevlar.Drivers.X86_64;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Text;
using Kevlar.SelfTests;
using Kevlar.Vfs.Initramfs;

namespace Kevlar.Image;

public static class UserStart
{
    /// <summary>True when an initramfs was loaded and PID 1 was started (or failed and stopped the machine).</summary>
    public static bool TryStart(Scheduler scheduler)
    {
        if (KernelMain.InitrdLength == 0) return false;
        byte[]? archive = KernelMain.CopyInitrd();
        if (archive == null)
        {
            Out.Line("kevlar: the initramfs is over 2 GiB; not starting user space");
            return false;
        }
        var clock = new MetalClock();
        var host = new ProcessHost(scheduler, new MetalUserMode(), new MetalConsole(), new MetalConsoleInput(), clock, new MetalSystemControl(), new MetalMemoryInfo(),
            new Kevlar.Drivers.X86_64.Timing.MetalTimers(scheduler, scheduler.CpuCount), archive);
        host.Vdso = Kevlar.Process.Exec.Vdso.TryCreate(Kevlar.Drivers.X86_64.Vdso.VdsoFiles.Image(), Kevlar.Drivers.X86_64.Vdso.VdsoFiles.Vvar(clock));
        if (host.Vdso == null) Out.Line("kevlar: the image carries no usable vDSO; programs make system calls for the time");
        if (host.InitramfsError != CpioError.None) Out.Line("kevlar: the initramfs is damaged; using the entries before the damage");
        host.TraceSyscalls = KernelMain.Options.TraceSyscalls;
        host.PanicOnSyscall = KernelMain.Options.FaultSyscall;
        byte[][] argv = Command(host);
        byte[][] envp = new byte[][] { Bytes("HOME=/"), Bytes("PATH=/sbin:/usr/sbin:/bin:/usr/bin"), Bytes("TERM=linux") };
        host.KernelLog = new Kevlar.Drivers.X86_64.Console.MetalKernelLog();
        host.Collector = new MetalCollectorStatistics();
        host.StartLoadSampling();
        StartNetwork(scheduler, host);
        InitProcess.Start(host, 0, Latin1.Decode(argv[0]), argv, envp);
        return true;
    }

    /// <summary>The virtio network device under the stack as eth0, configured by ip= when given.</summary>
    private static void StartNetwork(Scheduler scheduler, ProcessHost host)
    {
        var nic = Kevlar.Drivers.X86_64.Virtio.NetworkDevices.Start(scheduler);
        if (nic == null) return;
        var inet = host.Inet;
        inet.AttachDevice(nic);
        string ip = KernelMain.Options.Ip;
        if (ip.Length == 0 || ip == "off" || ip == "none") return;
        var config = Kevlar.Net.IpParameter.Parse(ip);
        if (config == null || (config.Device.Length > 0 && config.Device != "eth0"))
        {
            Out.Line(string.Concat("kevlar: ip=", ip, " is not a static address for eth0; eth0 stays down"));
            return;
        }
        inet.Defer(() => inet.Configure(config.Address, config.PrefixLength, config.Gateway));
        Out.Line(string.Concat("kevlar: eth0 ", Kevlar.Net.InetAddress.Format(config.Address), "/", config.PrefixLength.ToString(),
            config.Gateway != 0 ? string.Concat(" via ", Kevlar.Net.InetAddress.Format(config.Gateway)) : ""));
    }

    private static byte[][] Command(ProcessHost host)
    {
        if (InitProcess.ReadBootFile(host, "/kevlar/argv", out byte[] text) != 0 || text.Length == 0)
            return new byte[][] { Bytes("/init") };
        int words = 0;
        for (int i = 0; i < text.Length; i++) if (text[i] == 0) words++;
        if (text[text.Length - 1] != 0) words++;
        var argv = new byte[words][];
        int start = 0, n = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != 0) continue;
            if (i == text.Length && start == i) break;
            argv[n] = new byte[i - start];
            Array.Copy(text, start, argv[n], 0, i - start);
            n++;
            start = i + 1;
        }
        return argv;
    }

    private static byte[] Bytes(string s) => Latin1.Encode(s) ?? new byte[0];
}
