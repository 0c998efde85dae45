// TypingSession: run-qemu.sh with its stdin a pipe the test types into (the
// serial console's input) and the serial log collected as it arrives, so a
// test can wait for text, type, and wait again.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace Kevlar.QemuTests;

public sealed class TypingSession : IDisposable
{
    private readonly Process _qemu;
    private readonly StringBuilder _log = new();
    private readonly string _elf;
    private readonly int _timeoutSeconds;

    /// <summary>Boots a private copy of the image with <paramref name="arguments"/> for run-qemu.sh
    /// (besides --kernel, --timeout and --stdin).</summary>
    public TypingSession(string name, int timeoutSeconds, params string[] arguments)
    {
        KernelImage.EnsureBuilt();
        _timeoutSeconds = timeoutSeconds;
        _elf = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kevlar-{Environment.ProcessId}-{name}.elf");
        File.Copy(KernelImage.Path, _elf, overwrite: true);
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = KernelImage.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(System.IO.Path.Combine(KernelImage.Root, "qemu", "run-qemu.sh"));
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        foreach (string a in new[] { "--timeout", timeoutSeconds.ToString(), "--kernel", _elf, "--stdin" }) psi.ArgumentList.Add(a);
        _qemu = new Process { StartInfo = psi };
        _qemu.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.Append(e.Data).Append('\n'); };
        _qemu.Start();
        _qemu.BeginErrorReadLine();
        // The console as it comes, byte by byte: a prompt ends in no newline.
        new Thread(() =>
        {
            var buffer = new byte[4096];
            Stream s = _qemu.StandardOutput.BaseStream;
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
                lock (_log) _log.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }) { IsBackground = true }.Start();
    }

    /// <summary>Everything the machine printed so far, as it came (\r\n included).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Waits until the log holds <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    public bool WaitFor(string text, int count = 1, int seconds = 0)
    {
        TimeSpan limit = TimeSpan.FromSeconds(seconds > 0 ? seconds : _timeoutSeconds);
        return SpinWait.SpinUntil(() => Count(Log, text) >= count || _qemu.HasExited, limit) && Count(Log, text) >= count;
    }

    public static int Count(string log, string text)
    {
        int n = 0;
        for (int at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>Types <paramref name="text"/> (each char one byte) on the serial console.</summary>
    public void Type(string text)
    {
        byte[] bytes = text.Select(c => (byte)c).ToArray();
        _qemu.StandardInput.BaseStream.Write(bytes);
        _qemu.StandardInput.BaseStream.Flush();
    }

    /// <summary>run-qemu.sh's exit status, or ProcessRunner.KilledExitCode when it did not end in time.</summary>
    public int WaitForExit()
    {
        if (!_qemu.WaitForExit((_timeoutSeconds + 30) * 1000)) return ProcessRunner.KilledExitCode;
        _qemu.WaitForExit();
        return _qemu.ExitCode;
    }

    public void Dispose()
    {
        if (!_qemu.HasExited) _qemu.Kill(entireProcessTree: true);
        _qemu.Dispose();
        File.Delete(_elf);
    }
}
