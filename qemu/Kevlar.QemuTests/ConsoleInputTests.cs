// Console input by interrupt: boots `kevlar.test=console-echo` with this test
// typing on COM1 (run-qemu.sh --stdin). Typed bytes must come back as N_TTY's
// echo, reach the reader as edited lines (erase applied, a line longer than the
// UART's 16-byte FIFO whole), ^C must raise SIGINT, and "quit" ends the run
// with a pass — on one CPU and with the reader on another CPU than the IRQ.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class ConsoleInputTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 120;
    private static readonly string LongLine = new('x', 300);

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Typed_LinesSignalAndQuit_EchoedAndRead(int smp)
    {
        var session = new TypingSession(smp);
        string log = "";
        try
        {
            Assert.True(session.WaitFor("console-echo: ready"), "no 'console-echo: ready'");
            // One line at a time: typed-ahead characters are echoed as they arrive, so a line typed
            // before the program printed the previous one would land inside that output (as on Linux).
            session.Type("hello\r");
            Assert.True(session.WaitFor("console-echo: line 6 hello"), "the first line was not read");
            session.Type("ab\x7f" + "c\r");
            Assert.True(session.WaitFor("console-echo: line 3 ac"), "the edited line was not read");
            session.Type(LongLine + "\r");
            Assert.True(session.WaitFor("console-echo: line 301 "), "the long line was not read");
            session.Type("\x03quit\r");
            int exit = session.WaitForExit();
            log = session.Log.Replace("\r", "");
            output.WriteLine(log);
            Assert.Equal(QemuRun.Pass, exit);
        }
        finally
        {
            session.Dispose();
        }
        Assert.Contains("\nhello\n", log);
        Assert.Contains("ab\b \bc\n", log);
        Assert.Contains("console-echo: line 6 hello\n", log);
        Assert.Contains("console-echo: line 3 ac\n", log);
        Assert.Contains("console-echo: line 301 " + LongLine + "\n", log);
        Assert.Contains("^Cconsole-echo: signal 2\n", log);
        Assert.Contains("console-echo: line 5 quit\n", log);
        Assert.Matches(@"selftest console-echo: PASS 4 lines, 318 bytes, 1 signals, \d+ notifications, 0 dropped", log);
    }

    // run-qemu.sh with stdin as a pipe this test writes to, and the serial log collected as it comes.
    private sealed class TypingSession : IDisposable
    {
        private readonly Process _qemu;
        private readonly StringBuilder _log = new();
        private readonly string _elf;

        public TypingSession(int smp)
        {
            KernelImage.EnsureBuilt();
            _elf = Path.Combine(Path.GetTempPath(), $"kevlar-{Environment.ProcessId}-console-{smp}.elf");
            File.Copy(KernelImage.Path, _elf, overwrite: true);
            var psi = new ProcessStartInfo("bash")
            {
                WorkingDirectory = KernelImage.Root,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { Path.Combine(KernelImage.Root, "qemu", "run-qemu.sh"), "--smp", smp.ToString(),
                "--append", "kevlar.test=console-echo", "--timeout", TimeoutSeconds.ToString(), "--kernel", _elf, "--stdin" })
                psi.ArgumentList.Add(a);
            _qemu = new Process { StartInfo = psi };
            _qemu.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.Append(e.Data).Append('\n'); };
            _qemu.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.Append(e.Data).Append('\n'); };
            _qemu.Start();
            _qemu.BeginOutputReadLine();
            _qemu.BeginErrorReadLine();
        }

        public string Log { get { lock (_log) return _log.ToString(); } }

        public bool WaitFor(string text)
            => SpinWait.SpinUntil(() => Log.Contains(text) || _qemu.HasExited, TimeSpan.FromSeconds(TimeoutSeconds)) && Log.Contains(text);

        public void Type(string text)
        {
            byte[] bytes = text.Select(c => (byte)c).ToArray();
            _qemu.StandardInput.BaseStream.Write(bytes);
            _qemu.StandardInput.BaseStream.Flush();
        }

        public int WaitForExit()
        {
            if (!_qemu.WaitForExit((TimeoutSeconds + 30) * 1000)) return ProcessRunner.KilledExitCode;
            _qemu.WaitForExit();
            return _qemu.ExitCode;
        }

        public void Dispose()
        {
            if (!_qemu.HasExited) _qemu.Kill(entireProcessTree: true);
            _qemu.Dispose();
        }
    }
}
