// Console input end to end: bytes typed on COM1 arrive by interrupt on the boot
// CPU, the ring's notification reaches a reader actor homed on the last CPU,
// and the reader runs them through an N_TTY line discipline whose echo goes
// back to COM1. It prints each line it reads (`console-echo: line LEN TEXT`)
// and each signal (`console-echo: signal N`), and passes when it reads the line
// "quit". Needs a host that types: run only when named (kevlar.test=console-echo),
// after the host sees `console-echo: ready`.
using System;
using Kevlar.Drivers.X86_64;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Tty;

namespace Kevlar.SelfTests;

public sealed class ConsoleEchoTest : SelfTest
{
    private sealed class Begin : Message { }

    private sealed class InputWaiting : Message { }

    private sealed class Reader : Actor, IOutputSink
    {
        private readonly ConsoleEchoTest _test;
        private readonly IConsoleInput _input;
        private readonly LineDiscipline _tty = new LineDiscipline();
        private readonly InputWaiting _waiting = new InputWaiting();
        private readonly byte[] _chunk = new byte[64];
        private readonly byte[] _line = new byte[LineDiscipline.BufferSize];
        private int _bytes, _lines, _signals, _notifications;

        public Reader(ConsoleEchoTest test, IConsoleInput input)
        {
            _test = test;
            _input = input;
        }

        public void Write(ReadOnlySpan<byte> bytes) => SerialConsole.WriteRawBytes(bytes, CpuLocal.CurrentIndex);

        protected internal override void Receive(Message m)
        {
            if (m is Begin)
            {
                Out.Line("console-echo: ready");
                _input.NotifyWhenReadable(this, _waiting);
                return;
            }
            _notifications++;
            int n;
            while ((n = _input.Take(_chunk)) > 0)
            {
                _bytes += n;
                Feed(n);
            }
            if (ReadLines()) return;
            _input.NotifyWhenReadable(this, _waiting);
        }

        private void Feed(int n)
        {
            int at = 0;
            while (at < n)
            {
                InputResult r = _tty.Input(new ReadOnlySpan<byte>(_chunk, at, n - at), this);
                at += r.Consumed;
                if (r.Signal != 0)
                {
                    _signals++;
                    Out.Line(string.Concat("console-echo: signal ", Out.Dec(r.Signal)));
                }
                else if (r.Consumed == 0)
                {
                    return;
                }
            }
        }

        // Prints every complete line; true when one was "quit" and the test is over.
        private bool ReadLines()
        {
            while (_tty.ReadReady)
            {
                int k = _tty.Read(_line);
                if (k <= 0) continue;
                _lines++;
                int text = _line[k - 1] == '\n' ? k - 1 : k;
                string s = Latin1.Decode(new ReadOnlySpan<byte>(_line, 0, text));
                Out.Line(string.Concat("console-echo: line ", Out.Dec(k), " ", s));
                if (s == "quit")
                {
                    _test.Finish(true, string.Concat(Out.Dec(_lines), " lines, ", Out.Dec(_bytes), string.Concat(" bytes, ",
                        Out.Dec(_signals), " signals, ", string.Concat(Out.Dec(_notifications), " notifications, ",
                        Out.Dec(_input.Dropped), " dropped"))));
                    return true;
                }
            }
            return false;
        }
    }

    public override string Name => "console-echo";

    public override void Start(Scheduler scheduler)
    {
        var reader = new Reader(this, new MetalConsoleInput());
        scheduler.Register(reader, scheduler.CpuCount - 1);
        scheduler.Send(reader, new Begin());
    }
}
