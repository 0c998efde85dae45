// A session typed at the serial console of the `./kevlar boot` image that
// runs more than 60 BusyBox applets with pipelines, redirections, a
// here-document, command substitution, sh -c, background jobs with wait,
// jobs/fg/bg, ^C and ^Z as bytes, and vi. The output of every command marked
// Linux is compared with the same commands run on this host by the same
// BusyBox (`busybox sh`, with a PATH of applet links only, so no host tool
// answers); the rest — mount, df, ps, kill, watch, job control, vi — need a
// machine of their own and are checked for what they must show.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class AppletSessionTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 300;
    private const string Prompt = "@> "; // set by the first command; nothing printed contains it

    // Commands whose output must equal Linux's, in order (they build on each other's files).
    private static readonly string[] Linux =
    [
        "rm -rf /tmp/s; mkdir -p /tmp/s/d && cd /tmp/s && echo start",
        "printf 'pear\\napple\\nfig\\napple\\n' > f; cat f | sort | uniq -c",
        "cp f g; mv g h; ln -s h l; ln f hard; ls | cat; ls -l f | cut -c1-10; wc -l < f",
        "readlink l; realpath l; basename /a/b.c .c; dirname /a/b.c",
        "grep -c apple f; egrep 'fig|pear' f; sed -n 2p f; awk '{print NR\": \"$0}' f | tail -n 1; head -n 1 f",
        "tr a-z A-Z < f | cut -c1-2 | xargs echo",
        "find . -name 'h*' | sort; du -s d > /dev/null && echo du-ok",
        "tar cf a.tar f h && mkdir x && tar xf a.tar -C x && ls x | cat",
        "gzip -c f > f.gz && gunzip -c f.gz | cmp - f && bzip2 -c f | bzip2 -dc | md5sum; sha256sum f",
        "seq 5 | nl | tail -n 2; test -f f && expr 6 \\* 7",
        "stat -c '%s %h %F' f; touch -d '2001-01-01 00:00' f; date -r f -u +%Y; chmod 600 f; stat -c %a f; chown 0:0 f && echo owned",
        "env -i A=1 env; id -u; uname -s",
        "echo hi | tee t1 | od -c | head -n 1; hexdump -C t1; printf 'ab' | xxd",
        "yes x | head -n 3; printf '%05d|%s\\n' 42 str",
        "diff f f && echo same; fold -w 2 t1; dd if=f bs=2 count=2 2> /dev/null; echo",
        "mknod np p && mkfifo fifo2 && stat -c %F np fifo2; rmdir d; rm -r x && echo removed",
        "shuf -i 1-4 | sort -n | xargs; sh -c 'timeout 2 sleep 5; echo \"timeout $?\"'",
        "sh -c 'echo in-sh $((2*21))'; echo \"$(echo cmd)-$(seq 3 | wc -l)\"",
        "for i in 1 2 3; do echo $i; done | sort -r | tr '\\n' ' '; echo",
        "cd / && rm -rf /tmp/s && echo cleaned",
    ];

    [Fact]
    public void Boot_SixtyAppletsTypedAtTheConsole_MatchLinux()
    {
        List<string> expected = RunOnLinux();
        string initrd = ShellTests.BuildInitramfs();
        var session = new TypingSession("applets", TimeoutSeconds, "--initrd", initrd);
        string screen;
        int prompts = 0;
        var typed = new List<string>();
        try
        {
            Assert.True(session.WaitFor("/ # "), "no prompt");
            void Type(string text)
            {
                typed.Add(text);
                session.Type(text);
            }
            void Do(string command)
            {
                Type(command + "\r");
                Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 60), $"no prompt after '{command}'");
            }
            Do("stty cols 250; export PS1='@''> '");
            foreach (string command in Linux) Do(command);
            // Here-document and command substitution, typed line by line.
            Type("cat <<EOF\rone $((1+1))\r$(echo two)\rEOF\r");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after the here-document");
            // What needs the machine: mounts, processes, signals, jobs, the screen.
            Do("mkdir -p /mnt/t && mount -t tmpfs -o size=1m none /mnt/t && df -k /mnt/t | tail -n 1; mount | grep /mnt/t; umount /mnt/t && echo unmounted");
            Do("sleep 1 & sleep 1 & wait; echo waited");
            Do("sleep 30 & ps | grep -c 'sleep 30'; kill %1; wait; echo killed");
            Type("watch -n 1 -t echo tick\r");
            // "tick" is in the echoed command too. watch ignores ^C while its command runs
            // (system(3)), so the ^C goes while it sleeps between two runs.
            Assert.True(session.WaitFor("tick", 3, seconds: 30), "watch did not print");
            System.Threading.Thread.Sleep(300);
            Type("\x03");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after ^C to watch");
            Type("sleep 40\r");
            Assert.True(session.WaitFor("sleep 40\r\n"), "sleep 40 was not echoed");
            System.Threading.Thread.Sleep(3000); // the shell hands sleep the terminal
            Type("\x1a");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after ^Z");
            Do("bg");
            Do("jobs");
            Type("fg\r");
            Assert.True(session.WaitFor("fg\r\nsleep 40\r\n"), "fg did not bring sleep back");
            System.Threading.Thread.Sleep(3000);
            Type("\x03");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after ^C to fg");
            Type("vi /tmp/v\r");
            Assert.True(session.WaitFor("/tmp/v", 2, seconds: 30), "vi did not draw its screen");
            System.Threading.Thread.Sleep(500);
            Type("ifrom vi\x1b");
            System.Threading.Thread.Sleep(500);
            Type(":wq\r");
            Assert.True(session.WaitFor(Prompt, ++prompts, seconds: 30), "no prompt after vi");
            Do("cat /tmp/v; rm /tmp/v");
            Type("poweroff\r");
            session.WaitForExit();
            screen = Regex.Replace(session.Log.Replace("\r", ""), @"\x1b\[[0-9;?]*[A-Za-z]", "");
        }
        finally
        {
            output.WriteLine(session.Log);
            session.Dispose();
            File.Delete(initrd);
        }

        Dictionary<string, string> answers = Answers(screen);
        for (int i = 0; i < Linux.Length; i++)
        {
            Assert.True(answers.TryGetValue(Linux[i], out string? got), $"'{Linux[i]}' is not on the console");
            Assert.True(expected[i] == got, $"'{Linux[i]}' printed\n{got}\nbut Linux printed\n{expected[i]}");
        }
        Assert.Equal("> one $((1+1))\n> $(echo two)\n> EOF\none 2\ntwo\n", answers["cat <<EOF"]);
        string mounted = answers.First(a => a.Key.StartsWith("mkdir -p /mnt/t", StringComparison.Ordinal)).Value;
        Assert.True(Regex.IsMatch(mounted, @"^none +1024 +0 +1024 +0% /mnt/t\nnone on /mnt/t type tmpfs \(rw[^)]*\)\nunmounted\n$"), "mount, df, umount:\n" + mounted);
        Assert.Matches(@"^\d\n(\[1\]\+ +Terminated +sleep 30\n)?killed\n", answers["sleep 30 & ps | grep -c 'sleep 30'; kill %1; wait; echo killed"]);
        Assert.Matches(@"\[1\]\+ +Stopped +sleep 40\n", screen);
        Assert.Matches(@"\[1\] sleep 40\n", answers["bg"]);
        Assert.Matches(@"\[1\]\+ +Running +sleep 40\n", answers["jobs"]);
        Assert.Equal("from vi\n", answers["cat /tmp/v; rm /tmp/v"]);
        Assert.DoesNotContain("can't access tty", screen);
        Assert.Matches(@"waited\n", answers["sleep 1 & sleep 1 & wait; echo waited"]);
        int applets = CountApplets(typed);
        output.WriteLine($"{applets} distinct BusyBox applets typed in the session");
        Assert.True(applets >= 60, $"only {applets} applets");
    }

    // Each typed command (the text after the prompt on its line) and what followed it up to the next prompt.
    private static Dictionary<string, string> Answers(string screen)
    {
        var answers = new Dictionary<string, string>();
        string[] parts = screen.Split(Prompt);
        foreach (string part in parts.Skip(1))
        {
            int end = part.IndexOf('\n');
            string command = end < 0 ? part : part.Substring(0, end);
            if (command.StartsWith("cat <<EOF", StringComparison.Ordinal)) command = "cat <<EOF";
            answers[command] = end < 0 ? "" : part.Substring(end + 1);
        }
        return answers;
    }

    // The same commands by this host's BusyBox, each answer cut at a marker line.
    private static List<string> RunOnLinux()
    {
        string busybox = File.Exists("/bin/busybox") ? "/bin/busybox" : "busybox";
        string bin = Path.Combine(Path.GetTempPath(), $"kevlar-{Environment.ProcessId}-applets-bin");
        Directory.CreateDirectory(bin);
        var list = Process.Start(new ProcessStartInfo(busybox, "--list") { RedirectStandardOutput = true })!;
        foreach (string applet in list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string link = Path.Combine(bin, applet);
            if (!File.Exists(link)) File.CreateSymbolicLink(link, busybox);
        }
        list.WaitForExit();
        var script = new StringBuilder("exec 2>&1\n"); // the console shows both
        foreach (string command in Linux) script.Append(command).Append("\necho @@@\n");
        // SIGPIPE as a Linux shell has it (the test host ignores it, and children inherit that).
        var psi = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = "/" };
        psi.ArgumentList.Add("--default-signal=PIPE");
        psi.ArgumentList.Add(busybox);
        psi.ArgumentList.Add("sh");
        psi.Environment.Clear();
        psi.Environment["PATH"] = bin;
        psi.Environment["HOME"] = "/";
        using var sh = Process.Start(psi)!;
        sh.StandardInput.Write(script.ToString());
        sh.StandardInput.Close();
        string all = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        Directory.Delete(bin, true);
        var answers = all.Split("@@@\n").ToList();
        Assert.True(answers.Count == Linux.Length + 1, "the Linux run did not reach every command:\n" + all);
        return answers;
    }

    // The applets (of the issue's list) named in what was typed.
    private static int CountApplets(List<string> typed)
    {
        var seen = new HashSet<string>();
        var known = new HashSet<string>(
            ("ls cat echo cp mv rm ln mkdir rmdir find grep egrep sed awk sort uniq wc head tail tr cut xargs ps kill sleep date du df " +
             "tar gzip gunzip bzip2 md5sum sha256sum seq test expr mount umount uname id env stat touch chmod chown readlink realpath " +
             "basename dirname tee yes printf od hexdump diff cmp nl fold dd mknod mkfifo timeout watch xxd shuf vi sh").Split(' '));
        foreach (string line in typed)
            foreach (Match m in Regex.Matches(line, @"[a-z0-9]+"))
                if (known.Contains(m.Value)) seen.Add(m.Value);
        return seen.Count;
    }
}
