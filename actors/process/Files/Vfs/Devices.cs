// Devices: the open file description behind a character-device node, by
// major:minor as Linux numbers them (Documentation/admin-guide/devices.txt):
// 1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom, 4:64 ttyS0 (the
// serial console's tty), 5:0 tty (the opener's controlling terminal: -ENXIO
// without one), 5:1 console (the same tty, never made a controlling terminal
// by opening it), 136:N /dev/pts/N (a pty's slave; 5:2 /dev/ptmx makes a pair
// in Open.cs). Anything else has no driver: null (-ENXIO). A tty's open
// finishes with TtyFile.AttachAsync (controlling-terminal rules).
using Kevlar.Process.Files.Tty;
using Kevlar.Vfs;

namespace Kevlar.Process.Files.Vfs;

public static class Devices
{
    public static OpenFile? Open(UserProcess p, ulong rawDevice, int flags)
    {
        uint major = DeviceNumber.Major(rawDevice), minor = DeviceNumber.Minor(rawDevice);
        if (major == 1)
        {
            if (minor == DeviceFile.Null || minor == DeviceFile.Zero || minor == DeviceFile.Full
                || minor == DeviceFile.Random || minor == DeviceFile.Urandom)
                return new DeviceFile((int)minor, flags);
            return null;
        }
        Terminal console = p.Host.ConsoleTty;
        if (major == 4 && minor == 64) return new TtyFile(console, flags, rawDevice, 0x1B0, true);
        if (major == 5 && minor == 1)
        {
            var file = new ConsoleFile(console);
            file.StatusFlags = flags;
            return file;
        }
        if (major == PtyMasterFile.SlaveMajor)
        {
            PtyLink? link = p.Host.Ptys.Find((int)minor);
            return link == null ? null : new PtySlaveFile(link, flags, rawDevice);
        }
        if (major == 5 && minor == 0)
        {
            Terminal? own = p.ControllingTty;
            return own == null ? null : new TtyFile(own, flags, rawDevice, 0x1B6, false);
        }
        return null;
    }
}
