// ProcText: a /proc file whose text needs a consistent view of a process
// (maps): procfs tags the inode with it at lookup, and open(2) asks the
// process's own thread for the text (ProcessQuery) and puts it in the inode
// before the description is made, so reads see the state at open, as
// Linux's seq_file shows it at read.
using System;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Files.Procfs;

public sealed class ProcText
{
    public readonly UserProcess Process;
    private readonly Func<UserProcess, string> _make;

    public ProcText(UserProcess process, Func<UserProcess, string> make)
    {
        Process = process;
        _make = make;
    }

    /// <summary>Makes the text on the process's thread and stores it in <paramref name="file"/> on the VfsActor.</summary>
    public async KernelTask<long> RefreshAsync(UserThread t, Inode file)
    {
        string text = await ProcessQuery.Ask(t, Process, _make);
        byte[] data = Kevlar.Runtime.Text.Latin1.Encode(text) ?? new byte[0];
        return await t.Process.Host.Vfs.Run(t, () =>
        {
            var regular = (RegularInode)file;
            regular.Truncate(0, false);
            if (data.Length > 0) regular.Write(0, data);
            return 0;
        });
    }
}
