// Termios: struct termios as the kernel's TCGETS/TCSETS/TCSETSW/TCSETSF copy it
// on x86_64 (include/uapi/asm-generic/termbits.h), 36 bytes, little endian:
//   +0 u32 c_iflag   +4 u32 c_oflag   +8 u32 c_cflag   +12 u32 c_lflag
//   +16 u8 c_line    +17 u8 c_cc[NCCS = 19]
// (glibc's user-space struct termios is larger, 60 bytes with speeds; libc
// converts.) Flag and index constants keep Linux's names and values.
using System;
using System.Buffers.Binary;

namespace Kevlar.Vfs.Tty;

/// <summary>A tty's modes and special characters; owned by whoever owns the tty.</summary>
public sealed class Termios
{
    /// <summary>Size of the kernel's struct termios on x86_64.</summary>
    public const int Size = 36;

    /// <summary>Number of c_cc entries.</summary>
    public const int NCCS = 19;

    // c_cc indices.
    public const int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7,
        VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15,
        VEOL2 = 16;

    // c_iflag bits.
    public const uint IGNBRK = 0x1, BRKINT = 0x2, IGNPAR = 0x4, PARMRK = 0x8, INPCK = 0x10, ISTRIP = 0x20,
        INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IUCLC = 0x200, IXON = 0x400, IXANY = 0x800, IXOFF = 0x1000,
        IMAXBEL = 0x2000, IUTF8 = 0x4000;

    // c_oflag bits.
    public const uint OPOST = 0x1, OLCUC = 0x2, ONLCR = 0x4, OCRNL = 0x8, ONOCR = 0x10, ONLRET = 0x20,
        OFILL = 0x40, OFDEL = 0x80, TABDLY = 0x1800, XTABS = 0x1800;

    // c_cflag bits.
    public const uint CBAUD = 0x100F, B9600 = 0xD, B38400 = 0xF, B115200 = 0x1002, CSIZE = 0x30, CS5 = 0x0,
        CS6 = 0x10, CS7 = 0x20, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, PARODD = 0x200,
        HUPCL = 0x400, CLOCAL = 0x800;

    // c_lflag bits.
    public const uint ISIG = 0x1, ICANON = 0x2, XCASE = 0x4, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20,
        ECHONL = 0x40, NOFLSH = 0x80, TOSTOP = 0x100, ECHOCTL = 0x200, ECHOPRT = 0x400, ECHOKE = 0x800,
        FLUSHO = 0x1000, PENDIN = 0x4000, IEXTEN = 0x8000, EXTPROC = 0x10000;

    /// <summary>c_line of the N_TTY line discipline.</summary>
    public const byte N_TTY = 0;

    public uint Iflag;
    public uint Oflag;
    public uint Cflag;
    public uint Lflag;
    public byte Line;

    /// <summary>c_cc, always <see cref="NCCS"/> entries; a 0 entry is disabled (_POSIX_VDISABLE).</summary>
    public readonly byte[] Cc = new byte[NCCS];

    /// <summary>Linux's tty_std_termios, what a new tty starts with (`stty -a` on a fresh serial
    /// console): ICRNL IXON; OPOST ONLCR; B38400 CS8 CREAD HUPCL; ISIG ICANON ECHO ECHOE ECHOK
    /// ECHOCTL ECHOKE IEXTEN; c_cc from INIT_C_CC (intr ^C, quit ^\, erase ^?, kill ^U, eof ^D,
    /// time 0, min 1, start ^Q, stop ^S, susp ^Z, reprint ^R, discard ^O, werase ^W, lnext ^V).</summary>
    public static Termios CreateDefault()
    {
        var t = new Termios
        {
            Iflag = ICRNL | IXON,
            Oflag = OPOST | ONLCR,
            Cflag = B38400 | CS8 | CREAD | HUPCL,
            Lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            Line = N_TTY,
        };
        byte[] cc = t.Cc;
        cc[VINTR] = 0x03;
        cc[VQUIT] = 0x1C;
        cc[VERASE] = 0x7F;
        cc[VKILL] = 0x15;
        cc[VEOF] = 0x04;
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[VSTART] = 0x11;
        cc[VSTOP] = 0x13;
        cc[VSUSP] = 0x1A;
        cc[VREPRINT] = 0x12;
        cc[VDISCARD] = 0x0F;
        cc[VWERASE] = 0x17;
        cc[VLNEXT] = 0x16;
        return t;
    }

    /// <summary>A copy that shares nothing with this one.</summary>
    public Termios Clone()
    {
        var t = new Termios { Iflag = Iflag, Oflag = Oflag, Cflag = Cflag, Lflag = Lflag, Line = Line };
        Array.Copy(Cc, 0, t.Cc, 0, NCCS);
        return t;
    }

    /// <summary>Writes the 36-byte kernel form into <paramref name="dest"/> (at least <see cref="Size"/> bytes).</summary>
    public void Encode(Span<byte> dest)
    {
        WriteUInt32(dest, 0, Iflag);
        WriteUInt32(dest, 4, Oflag);
        WriteUInt32(dest, 8, Cflag);
        WriteUInt32(dest, 12, Lflag);
        dest[16] = Line;
        for (int i = 0; i < NCCS; i++) dest[17 + i] = Cc[i];
    }

    /// <summary>Reads the 36-byte kernel form; false (and null) when <paramref name="src"/> is shorter.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> src, out Termios? termios)
    {
        termios = null;
        if (src.Length < Size) return false;
        var t = new Termios
        {
            Iflag = BinaryPrimitives.ReadUInt32LittleEndian(src),
            Oflag = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(4)),
            Cflag = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(8)),
            Lflag = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(12)),
            Line = src[16],
        };
        for (int i = 0; i < NCCS; i++) t.Cc[i] = src[17 + i];
        termios = t;
        return true;
    }

    internal static void WriteUInt32(Span<byte> dest, int at, uint value)
    {
        dest[at] = (byte)value;
        dest[at + 1] = (byte)(value >> 8);
        dest[at + 2] = (byte)(value >> 16);
        dest[at + 3] = (byte)(value >> 24);
    }
}
