// LineDiscipline: N_TTY, the line discipline of a Linux tty, as
// drivers/tty/n_tty.c implements it: input processing (ISTRIP, IUCLC, INLCR,
// IGNCR, ICRNL, IXON/IXANY), signal characters (ISIG), canonical line editing
// (ICANON: ERASE, KILL, WERASE, EOF, EOL, EOL2, LNEXT, REPRINT), echo (ECHO,
// ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT) and output processing (OPOST:
// OLCUC, ONLCR, OCRNL, ONOCR, ONLRET, XTABS) for echoes and program output alike.
// This file: state, termios, reading and flushing. LineDiscipline.Receive.cs:
// input characters. LineDiscipline.Echo.cs: echo, erase and output processing.
//
// Ownership: a plain single-owner object (the tty's actor); no locks, no waits.
// The owner feeds received bytes to Input, answers read(2) with Read, poll with
// ReadReady, FIONREAD with Available, and implements VMIN/VTIME timing with
// NonCanonicalReadComplete and ReadTimeoutNanoseconds.
//
// The input queue is Linux's: a ring of N_TTY_BUF_SIZE (4096) bytes between
// _readTail (next byte to read), _canonHead (end of the complete lines) and
// _readHead (end of everything received). In canonical mode the bytes between
// _canonHead and _readHead are the line being edited; each complete line ends at
// a byte whose _lineEnd flag is set, and an EOF character is stored as a 0 byte
// with the flag (Linux's __DISABLED_CHAR) that Read consumes but never copies.
//
// Invariants: (1) _readTail <= _canonHead <= _readHead, and _readHead - _readTail
// <= BufferSize (positions only grow; they index the ring modulo BufferSize).
// (2) In canonical mode every flagged position lies in [_readTail, _canonHead),
// and _canonHead == _readTail or the byte before _canonHead is flagged.
// (3) In non-canonical mode no position is flagged and _canonHead == _readTail.
using System;

namespace Kevlar.Vfs.Tty;

public sealed partial class LineDiscipline
{
    /// <summary>Linux's N_TTY_BUF_SIZE: the input queue's capacity; a canonical line holds at
    /// most BufferSize - 1 characters before its terminator.</summary>
    public const int BufferSize = 4096;

    /// <summary>Signals the ISIG characters raise (Linux x86_64 numbers).</summary>
    public const int SIGINT = 2, SIGQUIT = 3, SIGTSTP = 20;

    private const int Mask = BufferSize - 1;

    // Input queue (see the header).
    private readonly byte[] _buf = new byte[BufferSize];
    private readonly bool[] _lineEnd = new bool[BufferSize];
    private int _readTail, _canonHead, _readHead;

    // Modes: a private copy of the termios, and the characters that take the
    // special path (Linux's char_map; never byte 0, the disabled value).
    private Termios _termios;
    private readonly bool[] _special = new bool[256];
    private bool _icanon;

    // Input editing state.
    private bool _lnext;    // the previous character was LNEXT
    private bool _erasing;  // inside an ECHOPRT "\...": a '/' closes it

    // Output state shared by echo and program output.
    private int _column;       // the cursor column as output processing has moved it
    private int _canonColumn;  // the column where the line being edited began
    private bool _stopped;     // output stopped by STOP (IXON)

    /// <summary>A line discipline with Linux's defaults for a new tty.</summary>
    public LineDiscipline() : this(Termios.CreateDefault())
    {
    }

    /// <summary>A line discipline with a copy of <paramref name="termios"/>.</summary>
    public LineDiscipline(Termios termios)
    {
        _termios = termios.Clone();
        _icanon = (termios.Lflag & Termios.ICANON) != 0;
        BuildSpecialMap();
    }

    /// <summary>The terminal's size (TIOCGWINSZ/TIOCSWINSZ); the line discipline only stores it.</summary>
    public WindowSize WindowSize { get; set; }

    /// <summary>A copy of the current modes (TCGETS).</summary>
    public Termios GetTermios() => _termios.Clone();

    /// <summary>True while ICANON is set.</summary>
    public bool IsCanonical => _icanon;

    /// <summary>True after a STOP character (IXON) until START, IXANY input, a signal character or
    /// clearing IXON: the owner holds program output meanwhile. Echoes are still produced.</summary>
    public bool OutputStopped => _stopped;

    /// <summary>Installs a copy of <paramref name="termios"/> (TCSETS; TCSETSF calls FlushInput
    /// first). Switching ICANON off makes everything queued readable, the line being edited
    /// included; switching it on makes everything queued one line, as Linux does.</summary>
    public void SetTermios(Termios termios)
    {
        Termios old = _termios;
        _termios = termios.Clone();
        if (((old.Lflag ^ termios.Lflag) & (Termios.ICANON | Termios.EXTPROC)) != 0)
        {
            Array.Clear(_lineEnd);
            if ((termios.Lflag & Termios.ICANON) == 0 || _readHead == _readTail)
            {
                _canonHead = _readTail;
            }
            else
            {
                _lineEnd[(_readHead - 1) & Mask] = true;
                _canonHead = _readHead;
            }
            _erasing = false;
            _lnext = false;
        }
        _icanon = (termios.Lflag & Termios.ICANON) != 0;
        if ((termios.Iflag & Termios.IXON) == 0) _stopped = false;
        BuildSpecialMap();
    }

    /// <summary>What poll reports as POLLIN (Linux's input_available_p with poll set): a complete
    /// line in canonical mode; otherwise at least VMIN bytes when VTIME is 0 and VMIN is not,
    /// else at least one byte.</summary>
    public bool ReadReady
    {
        get
        {
            if (_icanon) return _canonHead != _readTail;
            int vmin = _termios.Cc[Termios.VMIN], vtime = _termios.Cc[Termios.VTIME];
            int amount = vtime == 0 && vmin != 0 ? vmin : 1;
            return _readHead - _readTail >= amount;
        }
    }

    /// <summary>FIONREAD/TIOCINQ: bytes a read could return now — in canonical mode those of the
    /// complete lines, not counting EOF characters.</summary>
    public int Available
    {
        get
        {
            if (!_icanon) return _readHead - _readTail;
            int n = _canonHead - _readTail;
            for (int at = _readTail; at != _canonHead; at++)
            {
                if (_lineEnd[at & Mask] && _buf[at & Mask] == 0) n--;
            }
            return n;
        }
    }

    /// <summary>Copies readable input into <paramref name="dest"/>. Canonical mode: at most one line
    /// (its terminator included, an EOF character excluded), or the first dest.Length bytes of it;
    /// 0 means end of file (an EOF character at the start of a line). Non-canonical mode: up to
    /// dest.Length bytes of whatever arrived. Returns -Errno.EAGAIN when nothing is readable
    /// (ReadReady may still be false with bytes in non-canonical mode below VMIN: Read takes them).</summary>
    public int Read(Span<byte> dest)
    {
        if (_icanon ? _canonHead == _readTail : _readHead == _readTail) return -Errno.EAGAIN;
        if (dest.Length == 0) return 0;
        int limit = _icanon ? _canonHead : _readHead;
        int n = Math.Min(dest.Length, limit - _readTail);
        int copy = n, consume = n;
        if (_icanon)
        {
            for (int i = 0; i < n; i++)
            {
                int at = (_readTail + i) & Mask;
                if (!_lineEnd[at]) continue;
                _lineEnd[at] = false;
                consume = i + 1;
                copy = _buf[at] == 0 ? i : i + 1;
                break;
            }
        }
        for (int i = 0; i < copy; i++) dest[i] = _buf[(_readTail + i) & Mask];
        _readTail += consume;
        return copy;
    }

    /// <summary>Discards all queued input and the line being edited (TCFLSH TCIFLUSH, TCSETSF, and a
    /// signal character without NOFLSH). Output held for the device is the owner's to drop.</summary>
    public void FlushInput()
    {
        _readTail = _canonHead = _readHead = 0;
        Array.Clear(_lineEnd);
        _lnext = false;
        _erasing = false;
    }

    // Linux's n_tty_set_termios char_map: which bytes take ReceiveSpecial.
    private void BuildSpecialMap()
    {
        Array.Clear(_special);
        Termios t = _termios;
        byte[] cc = t.Cc;
        if ((t.Iflag & (Termios.IGNCR | Termios.ICRNL)) != 0) _special['\r'] = true;
        if ((t.Iflag & Termios.INLCR) != 0) _special['\n'] = true;
        if ((t.Lflag & Termios.ICANON) != 0)
        {
            _special[cc[Termios.VERASE]] = _special[cc[Termios.VKILL]] = _special[cc[Termios.VEOF]] = true;
            _special['\n'] = _special[cc[Termios.VEOL]] = true;
            if ((t.Lflag & Termios.IEXTEN) != 0)
            {
                _special[cc[Termios.VWERASE]] = _special[cc[Termios.VLNEXT]] = _special[cc[Termios.VEOL2]] = true;
                if ((t.Lflag & Termios.ECHO) != 0) _special[cc[Termios.VREPRINT]] = true;
            }
        }
        if ((t.Iflag & Termios.IXON) != 0) _special[cc[Termios.VSTART]] = _special[cc[Termios.VSTOP]] = true;
        if ((t.Lflag & Termios.ISIG) != 0)
        {
            _special[cc[Termios.VINTR]] = _special[cc[Termios.VQUIT]] = _special[cc[Termios.VSUSP]] = true;
        }
        _special[0] = false;
    }

    private bool Iflag(uint bit) => (_termios.Iflag & bit) != 0;

    private bool Oflag(uint bit) => (_termios.Oflag & bit) != 0;

    private bool Lflag(uint bit) => (_termios.Lflag & bit) != 0;

    private byte Cc(int index) => _termios.Cc[index];
}
