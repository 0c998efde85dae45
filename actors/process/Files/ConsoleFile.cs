// ConsoleFile: /dev/console, the serial line. Output goes to the console
// device; input is not wired yet, so a read finds end of file. As a tty it
// answers TCGETS with the settings it really applies (output post-processing
// with ONLCR) and TIOCGWINSZ with 80x24.
using System.Buffers.Binary;
using System;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Files;

public sealed class ConsoleFile : OpenFile
{
    public const uint TCGETS = 0x5401, TIOCGWINSZ = 0x5413, TIOCGPGRP = 0x540F;
    private readonly IConsoleDevice _device;

    public ConsoleFile(IConsoleDevice device)
    {
        _device = device;
        StatusFlags = OpenFlags.O_RDWR;
    }

    public override long Read(Span<byte> dest) => 0;

    public override long Write(ReadOnlySpan<byte> src)
    {
        _device.Write(src);
        return src.Length;
    }

    public override void Stat(ref FileStatus status)
    {
        status.Mode = FileStatus.S_IFCHR | 0x180; // crw-------
        status.RawDevice = (5UL << 8) | 1;        // 5:1, /dev/console
        status.Device = 6;
        status.Inode = 1;
        status.LinkCount = 1;
        status.BlockSize = 1024;
    }

    public override long Ioctl(uint request, ulong argument, UserMemory memory)
    {
        if (request == TCGETS)
        {
            // The kernel's struct termios (asm-generic/termbits.h): four u32 flags, c_line,
            // 19 c_cc — 36 bytes (the C library's larger termios is its own).
            Span<byte> t = stackalloc byte[36];
            t.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(t.Slice(0), 0x0500);      // c_iflag: ICRNL | IXON
            BinaryPrimitives.WriteUInt32LittleEndian(t.Slice(4), 0x0005);      // c_oflag: OPOST | ONLCR
            BinaryPrimitives.WriteUInt32LittleEndian(t.Slice(8), 0x00BF);      // c_cflag: B38400 | CS8 | CREAD
            BinaryPrimitives.WriteUInt32LittleEndian(t.Slice(12), 0x8A3B);     // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
            t[17] = 3; t[18] = 0x1C; t[19] = 0x7F; t[20] = 0x15; t[21] = 4; t[23] = 1; // VINTR VQUIT VERASE VKILL VEOF, VMIN
            return memory.Write(argument, t);
        }
        if (request == TIOCGWINSZ)
        {
            Span<byte> w = stackalloc byte[8];
            w.Clear();
            w[0] = 24; // ws_row
            w[2] = 80; // ws_col
            return memory.Write(argument, w);
        }
        return -Errno.ENOTTY;
    }

}
