// reboot(2) (kernel/reboot.c): only root (CAP_SYS_BOOT) may call it (-EPERM),
// then both magic numbers must match (-EINVAL). LINUX_REBOOT_CMD_CAD_ON/OFF
// choose what Ctrl-Alt-Del would do (recorded; no such key reaches the
// kernel). POWER_OFF, HALT, RESTART and RESTART2 print Linux's line and end
// the machine's run through the system control with status 0: QEMU runs with
// -no-reboot, so a restart ends it too. Other commands (suspend, kexec) are
// -EINVAL, as on a kernel built without them. As on Linux the call does not
// return once the machine is ending: the thread waits, uninterruptibly, for
// the system control to stop it (on metal, after the final collection).
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Syscalls;

public static class Reboot
{
    public const uint LINUX_REBOOT_MAGIC1 = 0xFEE1DEAD;
    public const uint LINUX_REBOOT_MAGIC2 = 672274793, LINUX_REBOOT_MAGIC2A = 85072278,
        LINUX_REBOOT_MAGIC2B = 369367448, LINUX_REBOOT_MAGIC2C = 537993216;
    public const uint LINUX_REBOOT_CMD_RESTART = 0x01234567, LINUX_REBOOT_CMD_HALT = 0xCDEF0123,
        LINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF, LINUX_REBOOT_CMD_CAD_OFF = 0x00000000,
        LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC, LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        long r = Check(t.Process, a, out string? ending);
        return ending == null ? KernelTask<long>.FromResult(r) : End(t, ending);
    }

    // The call's result, or the line to print when it ends the machine's run.
    private static long Check(UserProcess p, in SyscallArgs a, out string? ending)
    {
        ending = null;
        if (p.Euid != 0) return -Errno.EPERM;
        uint magic1 = a.UInt(0), magic2 = a.UInt(1), cmd = a.UInt(2);
        if (magic1 != LINUX_REBOOT_MAGIC1 || (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A
            && magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
            return -Errno.EINVAL;
        switch (cmd)
        {
            case LINUX_REBOOT_CMD_CAD_ON:
            case LINUX_REBOOT_CMD_CAD_OFF:
                p.Host.CtrlAltDelReboots = cmd == LINUX_REBOOT_CMD_CAD_ON;
                return 0;
            case LINUX_REBOOT_CMD_POWER_OFF:
                ending = "reboot: Power down\n";
                return 0;
            case LINUX_REBOOT_CMD_HALT:
                ending = "reboot: System halted\n";
                return 0;
            case LINUX_REBOOT_CMD_RESTART:
            case LINUX_REBOOT_CMD_RESTART2:
                ending = "reboot: Restarting system\n";
                return 0;
        }
        return -Errno.EINVAL;
    }

    private static async KernelTask<long> End(UserThread t, string line)
    {
        ProcessHost host = t.Process.Host;
        host.Console.Write(Latin1.Encode(line) ?? new byte[0]);
        host.Control.PowerOff(0);
        t.Uninterruptible = true;
        await new KernelEvent<int>(t); // never set: the machine stops first
        return 0;
    }
}
