// InitProcessTests: starting PID 1 — from a program in the initramfs with the
// console on fds 0–2 and its thread queued to run; when it cannot start, the
// reason on the console and the machine stopped with the shell's status for
// it (127 not found, 126 not executable). The boot namespace: the archive
// unpacked into a tmpfs root (a damaged one keeps what came before the
// damage), /dev with its device nodes, and files read before the scheduler
// runs (ReadBootFile).
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Tests.Support;
using Kevlar.Vfs;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Tests.Support;
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
        k.Run(); // fails the test if the thread that could not exec ever ran
    }

    [Fact]
    public void Start_ScriptAsInit_RunsItsInterpreter()
    {
        var k = new ProcessHarness(createInit: false, extras: new[]
        {
            new SampleInitramfs.Extra("sbin/prog", SampleInitramfs.File755, ElfFileBuilder.Minimal().Build()),
            new SampleInitramfs.Extra("sbin/init", SampleInitramfs.File755, Encoding.ASCII.GetBytes("#!/sbin/prog -s\n")),
        });

        InitProcess.Start(k.Host, 0, "/sbin/init", Strings("init"), Strings());

        UserProcess init = k.Host.Init!;
        Assert.Equal(0x401000UL, init.MainThread.Registers.Rip);
        Assert.Empty(k.Control.Statuses);
        ulong rsp = init.MainThread.Registers.Rsp;
        var stack = new StackDecoder(ProcessHarness.Get(init, rsp, (int)(Kevlar.Process.Memory.MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal(new[] { "/sbin/prog", "-s", "/sbin/init" }, stack.Argv);
    }

    [Fact]
    public void ReadBootFile_FileMissingOrDirectory_FollowsTheKernelsContract()
    {
        var k = new ProcessHarness(createInit: false);

        Assert.Equal(0, InitProcess.ReadBootFile(k.Host, "/etc/motd", out byte[] passwd)); // a symlink, followed
        Assert.Equal(SampleInitramfs.Passwd, Encoding.Latin1.GetString(passwd));
        Assert.Equal(-Errno.ENOENT, InitProcess.ReadBootFile(k.Host, "/kevlar/argv", out byte[] none));
        Assert.Empty(none);
        Assert.Equal(-Errno.EINVAL, InitProcess.ReadBootFile(k.Host, "/etc", out _));
    }

    [Fact]
    public void Host_EmptyArchive_StillHasDevAndTmp()
    {
        var k = new ProcessHarness(archive: Array.Empty<byte>());

        Assert.Equal(CpioError.None, k.Host.InitramfsError);
        Assert.Equal(FileType.S_IFCHR | 0x1B6, k.Lookup("/dev/null").Inode.Mode);
        Assert.Equal(DeviceNumber.Make(1, 3), k.Lookup("/dev/null").Inode.RawDevice);
        Assert.Equal(FileType.S_IFDIR | 0x3FF | 0x200, k.Lookup("/tmp").Inode.Mode); // drwxrwxrwt
        Assert.NotEqual(k.Lookup("/").Mount, k.Lookup("/dev").Mount);
    }

    [Fact]
    public void Host_DamagedArchive_ReportsItAndKeepsTheEntriesBeforeTheDamage()
    {
        byte[] archive = new NewcWriter()
            .Add(".", SampleInitramfs.Dir, ino: 100)
            .Add("etc", SampleInitramfs.Dir, ino: 101)
            .Add("etc/passwd", SampleInitramfs.File644, Encoding.Latin1.GetBytes(SampleInitramfs.Passwd), ino: 102)
            .Raw(Encoding.ASCII.GetBytes("070799" + new string('0', 104)))
            .ToArray();

        var k = new ProcessHarness(createInit: false, archive: archive);

        Assert.Equal(CpioError.BadMagic, k.Host.InitramfsError);
        Assert.Equal(0, InitProcess.ReadBootFile(k.Host, "/etc/passwd", out byte[] passwd));
        Assert.Equal(SampleInitramfs.Passwd, Encoding.Latin1.GetString(passwd));
        Assert.True(k.Lookup("/dev/null").Inode.Type == FileType.S_IFCHR);
    }
}
