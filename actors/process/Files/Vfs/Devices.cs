// Devices: the open file description behind a character-device node, by
// major:minor as Linux numbers them (Documentation/admin-guide/devices.txt):
// 1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom, 5:0 tty (the
// caller's controlling terminal: the console until sessions get ttys),
// 5:1 console, 4:64 ttyS0. Anything else has no driver: null (-ENXIO).
using Kevlar.Vfs;

namespace Kevlar.Process.Files.Vfs;

public static class Devices
{
    public static OpenFile? Open(ProcessHost host, ulong rawDevice, int flags)
    {
        uint major = DeviceNumber.Major(rawDevice), minor = DeviceNumber.Minor(rawDevice);
        if (major == 1)
        {
            if (minor == DeviceFile.Null || minor == DeviceFile.Zero || minor == DeviceFile.Full
                || minor == DeviceFile.Random || minor == DeviceFile.Urandom)
                return new DeviceFile((int)minor, flags);
            return null;
        }
        if ((major == 5 && (minor == 0 || minor == 1)) || (major == 4 && minor == 64))
        {
            var console = new ConsoleFile(host.Console);
            console.StatusFlags = flags;
            return console;
        }
        return null;
    }
}
