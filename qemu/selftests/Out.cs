// Whole-line output for self-tests (one CPU's line never interleaves with
// another's) and the number formatting the kernel corlib lacks.
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;

namespace Kevlar.SelfTests;

public static class Out
{
    public static void Line(string text)
    {
        int cpu = CpuLocal.CurrentIndex;
        SerialConsole.Begin(cpu);
        SerialConsole.Write(text);
        SerialConsole.Write("\n");
        SerialConsole.End(cpu);
    }

    public static string Dec(long value)
    {
        char[] buf = new char[20];
        int n = 0;
        bool negative = value < 0;
        ulong v = negative ? (ulong)(-value) : (ulong)value;
        do { buf[n++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v != 0);
        char[] result = new char[n + (negative ? 1 : 0)];
        int at = 0;
        if (negative) result[at++] = '-';
        while (n > 0) result[at++] = buf[--n];
        return new string(result);
    }

    public static string KiB(ulong bytes) => string.Concat(Dec((long)(bytes / 1024)), " KiB");
}
