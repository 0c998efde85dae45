// ElfImage.Script: recognises a "#!" interpreter line, following Linux
// fs/binfmt_script.c load_script step by step on the same 256-byte buffer
// (BINPRM_BUF_SIZE; zero-padded when the file is shorter). The interpreter
// must not be cut off by the buffer's end; the argument may be.
using System;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Exec;

public sealed partial class ElfImage
{
    /// <summary>Bytes of the file exec looks at for a "#!" line (Linux BINPRM_BUF_SIZE).</summary>
    public const int BinprmBufSize = 256;

    /// <summary>
    /// True when <paramref name="file"/> (its first 256 bytes are enough)
    /// starts with a "#!" line naming an interpreter. The line ends at the
    /// first newline, or at byte 255 when there is none; spaces and tabs
    /// around it are dropped; the interpreter is the first word and the
    /// optional argument is the rest of the line (one argument, inner spaces
    /// kept). With no newline the interpreter word must end inside the
    /// buffer. As in Linux, a NUL ends either word, "\r" is not stripped, and
    /// a newline-less line with trailing blanks gives an empty argument, and
    /// a file of just "#!" is a script whose interpreter is "" (so exec fails
    /// with ENOENT looking it up). When false, interpreter is "" and argument
    /// null.
    /// </summary>
    public static bool IsScript(ReadOnlySpan<byte> file, out string interpreter, out string? argument)
    {
        interpreter = string.Empty;
        argument = null;
        var buf = new byte[BinprmBufSize];
        file.Slice(0, Math.Min(file.Length, BinprmBufSize)).CopyTo(buf);
        if (buf[0] != (byte)'#' || buf[1] != (byte)'!')
            return false;
        int end = LineEnd(buf);
        if (end < 0)
            return false;
        while (IsSpaceTab(buf[end - 1]))
            end--;
        int name = NextNonSpaceTab(buf, 2, end);
        if (name < 0 || name == end)
            return false;
        int arg = -1;
        int separator = NextTerminator(buf, name, end);
        if (separator >= 0 && buf[separator] != 0)
            arg = NextNonSpaceTab(buf, separator, end);
        buf[end] = 0;
        if (arg >= 0)
        {
            buf[separator] = 0;
            argument = CString(buf, arg);
        }
        interpreter = CString(buf, name);
        return true;
    }

    /// <summary>
    /// Index that ends the line: the first newline; else the buffer's last
    /// byte, provided the interpreter word ends before it; -1 when the buffer
    /// is all blanks after "#!" or the word may be truncated.
    /// </summary>
    private static int LineEnd(byte[] buf)
    {
        int last = buf.Length - 1;
        for (int i = 0; i < buf.Length; i++)
            if (buf[i] == (byte)'\n')
                return i;
        int word = NextNonSpaceTab(buf, 2, last);
        if (word < 0 || NextTerminator(buf, word, last) < 0)
            return -1;
        return last;
    }

    private static bool IsSpaceTab(byte c) => c == (byte)' ' || c == (byte)'\t';

    /// <summary>First index in [first, last] that is not a space or tab, or -1.</summary>
    private static int NextNonSpaceTab(byte[] buf, int first, int last)
    {
        for (int i = first; i <= last; i++)
            if (!IsSpaceTab(buf[i]))
                return i;
        return -1;
    }

    /// <summary>First index in [first, last] holding a space, tab or NUL, or -1.</summary>
    private static int NextTerminator(byte[] buf, int first, int last)
    {
        for (int i = first; i <= last; i++)
            if (IsSpaceTab(buf[i]) || buf[i] == 0)
                return i;
        return -1;
    }

    /// <summary>The NUL-terminated bytes at <paramref name="start"/> (the buffer holds a NUL after it).</summary>
    private static string CString(byte[] buf, int start)
    {
        int end = start;
        while (buf[end] != 0)
            end++;
        return Latin1.Decode(new ReadOnlySpan<byte>(buf, start, end - start));
    }
}
