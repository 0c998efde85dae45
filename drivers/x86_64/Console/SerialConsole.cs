// The kernel console: COM1 (16550 UART at 0x3F8), output polled, 115200 8N1
// (input by interrupt: SerialInput.cs). Lines
// from several CPUs are kept whole by Begin/End around them (a spinlock);
// single boot-time writes from one CPU go without.
using System.Threading;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Threading;
using LockClass = Kevlar.Runtime.Threading.LockClass;

namespace Kevlar.Drivers.X86_64.Console;

public static unsafe class SerialConsole
{
    private const ushort Com1 = 0x3F8;
    private static SpinLock s_lock;
    private static int s_owner = -1;

    public static void Initialize()
    {
        Native.Out8(Com1 + 1, 0x00);     // no UART interrupts (SerialInput turns on receive)
        Native.Out8(Com1 + 3, 0x80);     // DLAB on
        Native.Out8(Com1 + 0, 0x01);     // divisor 1: 115200 baud
        Native.Out8(Com1 + 1, 0x00);
        Native.Out8(Com1 + 3, 0x03);     // 8N1, DLAB off
        Native.Out8(Com1 + 2, 0xC7);     // FIFO on, cleared
        Native.Out8(Com1 + 4, 0x03);     // DTR, RTS
    }

    /// <summary>Takes the console for a multi-part line; re-entrant on the same CPU (a panic inside a line).</summary>
    public static void Begin(int cpu)
    {
        if (Volatile.Read(ref s_owner) == cpu) return;
        s_lock.Enter(LockClass.SerialLine);
        s_owner = cpu;
    }

    /// <summary>Takes the console for a panic report: if another CPU holds it and does not let go
    /// (it may itself have stopped while printing), take it over rather than never reporting.</summary>
    public static void BeginForPanic(int cpu)
    {
        Muted = false; // a panic always reaches the console
        if (Volatile.Read(ref s_owner) == cpu) return;
        s_lock.TryEnter(LockClass.SerialLine, 50_000_000);
        s_owner = cpu;
    }

    public static void End(int cpu)
    {
        if (s_owner != cpu) return;
        s_owner = -1;
        s_lock.Exit();
    }

    /// <summary>While true, kernel output goes only to the message log (the `quiet` option's boot lines).</summary>
    public static bool Muted;

    public static void Put(char c)
    {
        KernelMessages.Record(c);
        if (Muted) return;
        if (c == '\n') PutRaw('\r');
        PutRaw(c);
    }

    private static void PutRaw(char c)
    {
        while ((Native.In8(Com1 + 5) & 0x20) == 0) Native.Pause();
        Native.Out8(Com1, (byte)c);
    }

    /// <summary>Bytes exactly as given (a line discipline has done output processing); whole under the lock.</summary>
    public static void WriteRawBytes(System.ReadOnlySpan<byte> bytes, int cpu)
    {
        Begin(cpu);
        for (int i = 0; i < bytes.Length; i++) PutRaw((char)bytes[i]);
        End(cpu);
    }

    public static void Write(string s)
    {
        for (int i = 0; i < s.Length; i++) Put(s[i]);
    }

    public static void WriteHex(ulong value, int digits = 16)
    {
        Write("0x");
        WriteHexDigits(value, digits);
    }

    public static void WriteHexDigits(ulong value, int digits)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            int nibble = (int)(value >> (i * 4)) & 0xF;
            Put((char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }
    }

    public static void WriteDec(long value)
    {
        if (value < 0) { Put('-'); value = -value; }
        char* buf = stackalloc char[20];
        int n = 0;
        do { buf[n++] = (char)('0' + value % 10); value /= 10; } while (value != 0);
        while (n > 0) Put(buf[--n]);
    }
}
