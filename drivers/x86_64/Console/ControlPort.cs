// The control channel to the host: COM2 (0x2F8), written only by the kernel,
// never by user programs. `./kevlar run` reads the exit status of the program
// it ran from here, so the program's own output on COM1 stays untouched.
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Console;

public static class ControlPort
{
    private const ushort Com2 = 0x2F8;

    public static void Initialize()
    {
        Native.Out8(Com2 + 1, 0x00);
        Native.Out8(Com2 + 3, 0x80);
        Native.Out8(Com2 + 0, 0x01);
        Native.Out8(Com2 + 1, 0x00);
        Native.Out8(Com2 + 3, 0x03);
        Native.Out8(Com2 + 2, 0xC7);
        Native.Out8(Com2 + 4, 0x03);
    }

    /// <summary>Writes one line (the caller ends it with \n).</summary>
    public static void Write(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            while ((Native.In8(Com2 + 5) & 0x20) == 0) Native.Pause();
            Native.Out8(Com2, (byte)s[i]);
        }
    }
}
