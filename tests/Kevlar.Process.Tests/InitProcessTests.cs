// InitProcessTests: starting PID 1 — from a program in the initramfs with the
// console on fds 0–2 and its thread queued to run; when it cannot start, the
// reason on the console and the machine stopped with the shell's status for
// it (127 not found, 126 not executable).
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests;

public class InitProcessTests
{
    private static byte[][] Strings(params string[] s) => s.Select(Encoding.Latin1.GetBytes).ToArray();

    [Fact]
    public void Start_StaticProgram_IsPid1WithTheConsoleAndQueuedToRun()
    {
        var k = new ProcessHarness(createInit: false,
            extras: new[] { new SampleInitramfs.Extra("sbin/init", SampleInitramfs.File755, ElfFileBuilder.Minimal().Build()) });

        InitProcess.Start(k.Host, 1, "/sbin/init", Strings("init"), Strings("TERM=linux"));

        UserProcess? init = k.Host.Init;
        Assert.NotNull(init);
        Assert.Equal((1, 0), (init.Pid, init.ParentPid));
        Assert.All(new[] { 0, 1, 2 }, fd => Assert.IsType<ConsoleFile>(init.Files.Get(fd)));
        Assert.Same(init.Files.Get(0), init.Files.Get(2));
        Assert.Equal(0x401000UL, init.MainThread.Registers.Rip);
        Assert.Equal(1, init.MainThread.Home);
        Assert.False(k.Scheduler.MailboxEmpty(1));
        Assert.Empty(k.Control.Statuses);
    }

    [Theory]
    [InlineData("/sbin/nothing", "ENOENT", 127)]
    [InlineData("/etc/passwd", "EACCES", 126)]
    [InlineData("/bin/busybox", "ENOEXEC", 126)]
    public void Start_ProgramThatCannotRun_SaysWhyAndPowersOffWithTheShellsStatus(string path, string errno, int status)
    {
        var k = new ProcessHarness(createInit: false);

        InitProcess.Start(k.Host, 0, path, Strings("init"), Strings());

        Assert.Equal("kevlar: cannot run " + path + ": " + errno + "\n", k.Console.Text);
        Assert.Equal(new[] { status }, k.Control.Statuses);
        Assert.True(k.Scheduler.MailboxEmpty(0));
    }
}
