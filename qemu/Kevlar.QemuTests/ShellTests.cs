// The interactive shell `./kevlar boot` ends at: the same initramfs
// (qemu/busybox-initramfs.sh: BusyBox init, a login shell on /dev/ttyS0),
// typed at through COM1. The console's tty must echo and edit lines, give the
// shell job control (no "can't access tty"), deliver ^C to the foreground job
// only, keep a window size set with stty, and `poweroff` must end the machine
// through BusyBox init and reboot(2) with a pass.
using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class ShellTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 240;
    private const string Prompt = "/ # ";

    // What the console shows once line-editing queries (ESC [ 6 n) and \r are removed.
    private const string Expected =
        "/ # echo hi-$((1+2))\n" +
        "hi-3\n" +
        "/ # cat /dev/null; echo ok\n" +
        "ok\n" +
        "/ # sleep 10\n" +
        "^C\n" +
        "/ # stty rows 40 cols 100; stty size\n" +
        "40 100\n" +
        "/ # poweroff\n";

    [Fact]
    public void Boot_TypedCommands_ShellAnswersAndPowersOff()
    {
        string initrd = BuildInitramfs();
        var session = new TypingSession("shell", TimeoutSeconds, "--initrd", initrd);
        string log = "";
        int exit;
        try
        {
            Assert.True(session.WaitFor(Prompt), "no prompt");
            Run(session, "echo hi-$((1+2))", 2);
            Run(session, "cat /dev/null; echo ok", 3);
            session.Type("sleep 10\r");
            Assert.True(session.WaitFor("sleep 10\r\n"), "sleep 10 was not echoed");
            System.Threading.Thread.Sleep(1500); // sleep is running in the foreground
            var interrupted = Stopwatch.StartNew();
            session.Type("\x03");
            Assert.True(session.WaitFor(Prompt, 4, seconds: 30), "no prompt after ^C");
            Assert.True(interrupted.Elapsed < TimeSpan.FromSeconds(8), $"the prompt came back after {interrupted.Elapsed}: ^C did not end sleep");
            Run(session, "stty rows 40 cols 100; stty size", 5);
            Run(session, "stty -a", 6);
            session.Type("poweroff\r");
            exit = session.WaitForExit();
            log = session.Log;
            output.WriteLine(log);
        }
        finally
        {
            session.Dispose();
            File.Delete(initrd);
        }
        string screen = Regex.Replace(log.Replace("\r", ""), @"\x1b\[6n", "");
        Assert.DoesNotContain("can't access tty", screen);
        Assert.Contains("rows 40; columns 100;", screen);
        Assert.Contains("isig icanon iexten echo", screen);
        int from = screen.IndexOf("/ # echo hi", StringComparison.Ordinal);
        Assert.True(from >= 0, "the first command is not on the console");
        string commands = screen.Substring(from);
        int stty = commands.IndexOf("/ # stty -a\n", StringComparison.Ordinal);
        Assert.True(stty >= 0, "stty -a is not on the console");
        int power = commands.IndexOf("/ # poweroff\n", StringComparison.Ordinal);
        Assert.Equal(Expected, commands.Substring(0, stty) + commands.Substring(power, "/ # poweroff\n".Length));
        Assert.Contains("reboot: Power down", screen);
        Assert.Equal(QemuRun.Pass, exit);
    }

    [Fact]
    public void Boot_JobsHeredocsAndVi_BehaveAsOnLinux()
    {
        string initrd = BuildInitramfs();
        var session = new TypingSession("jobs", TimeoutSeconds, "--initrd", initrd);
        string screen;
        try
        {
            Assert.True(session.WaitFor(Prompt), "no prompt");
            int prompts = 1;
            void Do(string command) => Run(session, command, ++prompts);
            Do("sleep 30 &");
            Do("jobs");
            session.Type("fg\r");
            Assert.True(session.WaitFor("fg\r\nsleep 30\r\n"), "fg did not bring sleep back");
            // The shell makes sleep the foreground group right after echoing its name; a loaded
            // host may take a while to get there, and a ^Z before it would go to the shell.
            System.Threading.Thread.Sleep(3000);
            session.Type("\x1a"); // Ctrl-Z
            Assert.True(session.WaitFor("Stopped", 1, seconds: 30), "^Z did not stop sleep");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after ^Z");
            Do("jobs");
            Do("bg");
            Do("kill %1; wait; echo waited");
            session.Type("cat <<EOF\rline one\r$((2+3)) $(echo sub)\rEOF\r");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after the here-document");
            session.Type("vi /tmp/edited\r");
            Assert.True(session.WaitFor("/tmp/edited", 2, seconds: 30), "vi did not draw its screen");
            System.Threading.Thread.Sleep(500);
            session.Type("ihello from vi\x1b");
            System.Threading.Thread.Sleep(500);
            session.Type(":wq\r");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after vi");
            Do("cat /tmp/edited; echo \"status $?\"");
            Do("seq 1 100000 | sort -rn | head -n 2; echo \"x$(echo y)z\"");
            Do("top -b -n 1 | head -n 1");
            session.Type("poweroff\r");
            session.WaitForExit();
            screen = Regex.Replace(session.Log.Replace("\r", ""), @"\x1b\[[0-9;?]*[A-Za-z]", "");
            output.WriteLine(screen);
        }
        finally
        {
            output.WriteLine(session.Log);
            session.Dispose();
            File.Delete(initrd);
        }
        string Where(string what) => what + " is not on the console:\n" + screen.Substring(Math.Max(0, screen.IndexOf("/ # sleep 30", StringComparison.Ordinal)));
        Assert.True(Regex.IsMatch(screen, @"\[1\]\+ +Running +sleep 30\n"), Where("jobs' Running line"));
        Assert.True(Regex.IsMatch(screen, @"\[1\]\+ +Stopped +sleep 30\n"), Where("^Z's Stopped line"));
        Assert.True(Regex.IsMatch(screen, @"\[1\] sleep 30\n"), Where("bg's line"));
        Assert.Contains("waited\n[1]+  Terminated                 sleep 30\n", screen); // as Debian's BusyBox in a Linux pty
        Assert.Contains("> line one\n> $((2+3)) $(echo sub)\n> EOF\nline one\n5 sub\n", screen);
        Assert.Contains("hello from vi\nstatus 0\n", screen);
        Assert.Contains("100000\n99999\nxyz\n", screen);
        Assert.True(Regex.IsMatch(screen, @"Mem: \d+K used, \d+K free"), Where("top's Mem line"));
        Assert.DoesNotContain("can't access tty", screen);
    }

    [Fact]
    public void Boot_LoginShellExits_ItsTtyDescriptionsHangUp()
    {
        // The shell's exit hangs up /dev/ttyS0 (Linux's tty_vhangup_session): its background
        // job's write there fails with EIO, while /dev/console, which init and the job reopen,
        // still works; init then respawns a shell on a fresh description.
        string initrd = BuildInitramfs();
        var session = new TypingSession("hangup", TimeoutSeconds, "--initrd", initrd);
        string screen;
        try
        {
            Assert.True(session.WaitFor(Prompt), "no prompt");
            Run(session, "(trap '' HUP; sleep 3; echo late; echo \"write $?\" > /dev/console) &", 2);
            session.Type("exit\r");
            Assert.True(session.WaitFor(Prompt, 3, seconds: 60), "init did not respawn the shell");
            Assert.True(session.WaitFor("write ", 2, seconds: 60), "the background job did not report");
            Run(session, "echo fresh-$((40+2))", 4);
            session.Type("poweroff\r");
            session.WaitForExit();
            screen = session.Log.Replace("\r", "");
        }
        finally
        {
            output.WriteLine(session.Log);
            session.Dispose();
            File.Delete(initrd);
        }
        Assert.Contains("write 1\n", screen);
        Assert.DoesNotContain("late\n", screen);
        Assert.Contains("fresh-42\n", screen);
    }

    // Types a command and waits for the prompt that follows it (the n-th on the console).
    private static void Run(TypingSession session, string command, int prompts)
    {
        session.Type(command + "\r");
        Assert.True(session.WaitFor(Prompt, prompts, seconds: 60), $"no prompt after '{command}'");
    }

    internal static string BuildInitramfs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"kevlar-{Environment.ProcessId}-busybox.cpio");
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = KernelImage.Root, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(KernelImage.Root, "qemu", "busybox-initramfs.sh"));
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "busybox-initramfs.sh failed: " + errors);
        return path;
    }
}
