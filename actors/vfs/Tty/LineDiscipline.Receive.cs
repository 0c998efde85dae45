// LineDiscipline.Receive: one received byte at a time, in the order of n_tty.c's
// n_tty_receive_buf_standard, n_tty_receive_char_special and n_tty_receive_char.
using System;

namespace Kevlar.Vfs.Tty;

public sealed partial class LineDiscipline
{
    /// <summary>Processes bytes received from the terminal, writing their echoes to
    /// <paramref name="echo"/>. Stops after a signal character (ISIG: INTR, QUIT, SUSP), which the
    /// owner sends to the foreground process group before offering the rest, and when the input
    /// queue is full (see <see cref="InputResult.Consumed"/>). After the call the owner looks at
    /// ReadReady (wake readers) and OutputStopped (START/STOP).</summary>
    public InputResult Input(ReadOnlySpan<byte> received, IOutputSink echo)
    {
        _sink = echo;
        int consumed = 0;
        int signal = 0;
        bool flush = false;
        while (consumed < received.Length)
        {
            if (!MakeRoom()) break;
            signal = Receive(received[consumed]);
            consumed++;
            if (signal != 0)
            {
                flush = !Lflag(Termios.NOFLSH);
                break;
            }
        }
        FlushOut();
        _sink = null;
        return new InputResult(consumed, signal, flush);
    }

    // Linux's room check (n_tty_receive_buf_common): one slot is kept free,
    // except that a canonical line filling the whole queue keeps taking
    // characters by overwriting its last one, so that a newline still ends it.
    private bool MakeRoom()
    {
        int room = BufferSize - (_readHead - _readTail);
        if (Iflag(Termios.PARMRK)) room = (room + 2) / 3;
        room--;
        if (room > 0) return true;
        if (!_icanon || _canonHead != _readTail) return false;
        if (room < 0) _readHead--;
        return true;
    }

    // One byte; returns the signal it raised, or 0.
    private int Receive(byte c)
    {
        if (_lnext)
        {
            _lnext = false;
            ReceiveChar(Translate(c));
            return 0;
        }
        c = Translate(c);
        if (Lflag(Termios.EXTPROC))
        {
            Put(c);
            return 0;
        }
        if (_special[c]) return ReceiveSpecial(c);
        ReceiveChar(c);
        return 0;
    }

    // ISTRIP, then IUCLC (only with IEXTEN, as Linux).
    private byte Translate(byte c)
    {
        if (Iflag(Termios.ISTRIP)) c &= 0x7F;
        if (Iflag(Termios.IUCLC) && Lflag(Termios.IEXTEN) && c >= 'A' && c <= 'Z') c = (byte)(c + 32);
        return c;
    }

    // An ordinary character: echo it and queue it.
    private void ReceiveChar(byte c)
    {
        RestartOnAnyInput();
        if (Lflag(Termios.ECHO))
        {
            FinishErasing();
            if (_canonHead == _readHead) _canonColumn = _column;
            EchoChar(c);
        }
        if (c == 0xFF && Iflag(Termios.PARMRK)) Put(c);
        Put(c);
    }

    private int ReceiveSpecial(byte c)
    {
        if (Iflag(Termios.IXON))
        {
            if (c == Cc(Termios.VSTART)) { _stopped = false; return 0; }
            if (c == Cc(Termios.VSTOP)) { _stopped = true; return 0; }
        }
        if (Lflag(Termios.ISIG))
        {
            if (c == Cc(Termios.VINTR)) return SignalChar(SIGINT, c);
            if (c == Cc(Termios.VQUIT)) return SignalChar(SIGQUIT, c);
            if (c == Cc(Termios.VSUSP)) return SignalChar(SIGTSTP, c);
        }
        RestartOnAnyInput();
        if (c == '\r')
        {
            if (Iflag(Termios.IGNCR)) return 0;
            if (Iflag(Termios.ICRNL)) c = (byte)'\n';
        }
        else if (c == '\n' && Iflag(Termios.INLCR))
        {
            c = (byte)'\r';
        }
        if (_icanon && ReceiveCanonical(c)) return 0;
        if (Lflag(Termios.ECHO))
        {
            FinishErasing();
            if (c == '\n')
            {
                EchoRaw(c);
            }
            else
            {
                if (_canonHead == _readHead) _canonColumn = _column;
                EchoChar(c);
            }
        }
        if (c == 0xFF && Iflag(Termios.PARMRK)) Put(c);
        Put(c);
        return 0;
    }

    // The canonical-mode editing characters; false when c is none of them.
    private bool ReceiveCanonical(byte c)
    {
        bool iexten = Lflag(Termios.IEXTEN);
        if (c == Cc(Termios.VERASE) || c == Cc(Termios.VKILL) || (c == Cc(Termios.VWERASE) && iexten))
        {
            Eraser(c);
            return true;
        }
        if (c == Cc(Termios.VLNEXT) && iexten)
        {
            _lnext = true;
            if (Lflag(Termios.ECHO))
            {
                FinishErasing();
                if (Lflag(Termios.ECHOCTL))
                {
                    EchoRaw((byte)'^');
                    EchoRaw((byte)'\b');
                }
            }
            return true;
        }
        if (c == Cc(Termios.VREPRINT) && Lflag(Termios.ECHO) && iexten)
        {
            FinishErasing();
            EchoChar(c);
            EchoRaw((byte)'\n');
            for (int at = _canonHead; at != _readHead; at++) EchoChar(_buf[at & Mask]);
            return true;
        }
        if (c == '\n')
        {
            if (Lflag(Termios.ECHO) || Lflag(Termios.ECHONL)) EchoRaw(c);
            EndLine(c);
            return true;
        }
        if (c == Cc(Termios.VEOF))
        {
            EndLine(0);
            return true;
        }
        if (c == Cc(Termios.VEOL) || (c == Cc(Termios.VEOL2) && iexten))
        {
            if (Lflag(Termios.ECHO))
            {
                if (_canonHead == _readHead) _canonColumn = _column;
                EchoChar(c);
            }
            if (c == 0xFF && Iflag(Termios.PARMRK)) Put(c);
            EndLine(c);
            return true;
        }
        return false;
    }

    // Linux's n_tty_receive_signal_char and isig: unless NOFLSH, the queue is
    // flushed (the owner drops its device output); IXON output restarts; the
    // character is echoed (as ^C with ECHOCTL).
    private int SignalChar(int signal, byte c)
    {
        if (!Lflag(Termios.NOFLSH)) FlushInput();
        if (Iflag(Termios.IXON)) _stopped = false;
        if (Lflag(Termios.ECHO)) EchoChar(c);
        return signal;
    }

    private void RestartOnAnyInput()
    {
        if (_stopped && Iflag(Termios.IXON) && Iflag(Termios.IXANY)) _stopped = false;
    }

    // Terminates the line being edited with c (0 for EOF) and makes it readable.
    private void EndLine(byte c)
    {
        _lineEnd[_readHead & Mask] = true;
        Put(c);
        _canonHead = _readHead;
    }

    private void Put(byte c)
    {
        _buf[_readHead & Mask] = c;
        _readHead++;
    }
}
