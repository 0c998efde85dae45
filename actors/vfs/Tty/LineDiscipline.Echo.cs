// LineDiscipline.Echo: echo, the erase characters and output processing, after
// n_tty.c's echo_char, eraser, __process_echoes and do_output_char. Linux queues
// echoes and processes them when the driver has room; here they are processed
// at once, in the same order, so the column bookkeeping comes out the same.
using System;

namespace Kevlar.Vfs.Tty;

public sealed partial class LineDiscipline
{
    // Output batching: bytes go to _sink in chunks of _out.Length.
    private readonly byte[] _out = new byte[64];
    private int _outLength;
    private IOutputSink? _sink;

    /// <summary>Writes program output to <paramref name="sink"/> with output processing (OPOST:
    /// OLCUC, ONLCR, OCRNL, ONOCR, ONLRET, XTABS), keeping the column that echo and tab erase use.
    /// Takes every byte; the owner holds output itself while <see cref="OutputStopped"/>.</summary>
    public void ProcessOutput(ReadOnlySpan<byte> data, IOutputSink sink)
    {
        if (!Oflag(Termios.OPOST))
        {
            sink.Write(data);
            return;
        }
        _sink = sink;
        for (int i = 0; i < data.Length; i++) OutputChar(data[i]);
        FlushOut();
        _sink = null;
    }

    // Linux's do_output_char, with room always available.
    private void OutputChar(byte c)
    {
        switch (c)
        {
            case (byte)'\n':
                if (Oflag(Termios.ONLRET)) _column = 0;
                if (Oflag(Termios.ONLCR))
                {
                    _canonColumn = _column = 0;
                    Emit((byte)'\r');
                    Emit((byte)'\n');
                    return;
                }
                _canonColumn = _column;
                break;
            case (byte)'\r':
                if (Oflag(Termios.ONOCR) && _column == 0) return;
                if (Oflag(Termios.OCRNL))
                {
                    c = (byte)'\n';
                    if (Oflag(Termios.ONLRET)) _canonColumn = _column = 0;
                    break;
                }
                _canonColumn = _column = 0;
                break;
            case (byte)'\t':
                int spaces = 8 - (_column & 7);
                _column += spaces;
                if ((_termios.Oflag & Termios.TABDLY) == Termios.XTABS)
                {
                    for (int i = 0; i < spaces; i++) Emit((byte)' ');
                    return;
                }
                break;
            case (byte)'\b':
                if (_column > 0) _column--;
                break;
            default:
                if (!IsControl(c))
                {
                    if (Oflag(Termios.OLCUC) && c >= 'a' && c <= 'z') c = (byte)(c - 32);
                    if (!IsContinuation(c)) _column++;
                }
                break;
        }
        Emit(c);
    }

    // echo_char_raw: a byte through output processing (when OPOST).
    private void EchoRaw(byte c)
    {
        if (Oflag(Termios.OPOST)) OutputChar(c);
        else Emit(c);
    }

    // echo_char: with ECHOCTL a control character other than TAB shows as ^X.
    private void EchoChar(byte c)
    {
        if (Lflag(Termios.ECHOCTL) && IsControl(c) && c != '\t')
        {
            Emit((byte)'^');
            Emit((byte)(c ^ 0x40));
            _column += 2;
            return;
        }
        EchoRaw(c);
    }

    // Ends an ECHOPRT erase run with '/'.
    private void FinishErasing()
    {
        if (!_erasing) return;
        EchoRaw((byte)'/');
        _erasing = false;
    }

    // Linux's eraser: ERASE removes one character, WERASE a word (BSD's
    // ALTWERASE: trailing non-word characters, then word characters), KILL the
    // line; each removal echoed as ECHOPRT, ECHOE or plain echo dictate.
    private void Eraser(byte c)
    {
        if (_readHead == _canonHead) return;
        bool echo = Lflag(Termios.ECHO);
        bool erase = c == Cc(Termios.VERASE);
        bool werase = !erase && c == Cc(Termios.VWERASE);
        if (!erase && !werase)
        {
            if (!echo)
            {
                _readHead = _canonHead;
                return;
            }
            if (!Lflag(Termios.ECHOK) || !Lflag(Termios.ECHOKE) || !Lflag(Termios.ECHOE))
            {
                _readHead = _canonHead;
                FinishErasing();
                EchoChar(Cc(Termios.VKILL));
                if (Lflag(Termios.ECHOK)) EchoRaw((byte)'\n');
                return;
            }
        }
        int seenAlnums = 0;
        while (_readHead != _canonHead)
        {
            int head = _readHead;
            byte ch;
            do
            {
                head--;
                ch = _buf[head & Mask];
            } while (IsContinuation(ch) && head != _canonHead);
            if (IsContinuation(ch)) break;
            if (werase)
            {
                if (IsAlnum(ch) || ch == '_') seenAlnums++;
                else if (seenAlnums > 0) break;
            }
            int count = _readHead - head;
            _readHead = head;
            if (echo) EchoErase(ch, head, count, erase);
            if (erase) break;
        }
        if (_readHead == _canonHead && echo) FinishErasing();
    }

    // Echoes the removal of ch (count bytes from head, a multibyte character under IUTF8).
    private void EchoErase(byte ch, int head, int count, bool erase)
    {
        if (Lflag(Termios.ECHOPRT))
        {
            if (!_erasing)
            {
                EchoRaw((byte)'\\');
                _erasing = true;
            }
            EchoChar(ch);
            for (int i = 1; i < count; i++)
            {
                EchoRaw(_buf[(head + i) & Mask]);
                if (_column > 0) _column--;
            }
        }
        else if (erase && !Lflag(Termios.ECHOE))
        {
            EchoChar(Cc(Termios.VERASE));
        }
        else if (ch == '\t')
        {
            EraseTab();
        }
        else
        {
            if (IsControl(ch) && Lflag(Termios.ECHOCTL)) BackSpaceSpace();
            if (!IsControl(ch) || Lflag(Termios.ECHOCTL)) BackSpaceSpace();
        }
    }

    private void BackSpaceSpace()
    {
        EchoRaw((byte)'\b');
        EchoRaw((byte)' ');
        EchoRaw((byte)'\b');
    }

    // Backs up over a tab just removed: the columns since the previous tab (or
    // since the line's start column) decide how wide it was.
    private void EraseTab()
    {
        int chars = 0;
        bool afterTab = false;
        for (int at = _readHead; at != _canonHead;)
        {
            at--;
            byte c = _buf[at & Mask];
            if (c == '\t')
            {
                afterTab = true;
                break;
            }
            if (IsControl(c))
            {
                if (Lflag(Termios.ECHOCTL)) chars += 2;
            }
            else if (!IsContinuation(c))
            {
                chars++;
            }
        }
        chars &= 7;
        if (!afterTab) chars += _canonColumn;
        int backs = 8 - (chars & 7);
        if (backs > _column) backs = _column;
        for (int i = 0; i < backs; i++)
        {
            Emit((byte)'\b');
            if (_column > 0) _column--;
        }
    }

    private void Emit(byte c)
    {
        if (_outLength == _out.Length) FlushOut();
        _out[_outLength++] = c;
    }

    private void FlushOut()
    {
        if (_outLength == 0) return;
        _sink!.Write(new ReadOnlySpan<byte>(_out, 0, _outLength));
        _outLength = 0;
    }

    // The kernel's iscntrl (lib/ctype.c, Latin-1): 0-31, 127 and 128-159.
    private static bool IsControl(byte c) => c < 32 || c == 127 || (c >= 128 && c < 160);

    // The kernel's isalnum over Latin-1: ASCII letters and digits, and the
    // Latin-1 letters 192-255 except the multiplication and division signs.
    private static bool IsAlnum(byte c) =>
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 192 && c != 215 && c != 247);

    // A UTF-8 continuation byte, when IUTF8 says input is UTF-8.
    private bool IsContinuation(byte c) => Iflag(Termios.IUTF8) && (c & 0xC0) == 0x80;
}
