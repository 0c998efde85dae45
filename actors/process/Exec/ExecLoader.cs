// ExecLoader: replaces a process's image with a program, as execve does for
// ELF64 static and static-PIE executables and "#!" scripts: the old memory
// map goes, each PT_LOAD becomes a region with its bytes copied in (the rest
// of the segment zero), the heap starts after the highest segment, the stack
// is reserved below MemoryMap.StackTop with argv, envp and auxv on it, the
// vDSO is mapped (Vdso.cs), and the thread's registers are reset to the
// entry point. Everything is checked
// before the old image is touched, so a failed exec leaves the caller as it
// was: a malformed ELF is -ENOEXEC. Reading the file (and following "#!"
// to the interpreter) is the caller's: execve asks the VfsActor.
using System;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Text;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Exec;

public static class ExecLoader
{
    /// <summary>Where a static PIE is placed (Linux's ELF_ET_DYN_BASE for x86_64 is 2/3 of
    /// the address space; a fixed base keeps runs reproducible).</summary>
    public const ulong PieBase = 0x5555_5555_4000;
    private const ulong PageSize = MemoryMap.PageSize;

    /// <summary>At most this many "#!" scripts lead to the program (fs/exec.c exec_binprm: a sixth is -ELOOP).</summary>
    public const int MaxScriptDepth = 5;

    /// <summary>Looks at a file execve read: 1 when it is a "#!" script (then
    /// <paramref name="path"/> and <paramref name="argv"/> become the interpreter's, to be read
    /// next), 0 when it is to be loaded, -ELOOP past MaxScriptDepth.</summary>
    public static int FollowScript(byte[] file, int depth, ref string path, ref byte[][] argv)
    {
        if (!ElfImage.IsScript(file, out string interpreter, out string? argument)) return 0;
        if (depth >= MaxScriptDepth) return -Errno.ELOOP;
        argv = ScriptArguments(interpreter, argument, path, argv);
        path = interpreter;
        return 1;
    }

    /// <summary>Loads the ELF <paramref name="file"/> into <paramref name="thread"/>'s process:
    /// <paramref name="path"/> is what execve was given (AT_EXECFN), <paramref name="executable"/>
    /// the absolute path of the file loaded (/proc/self/exe). 0 or -errno.</summary>
    /// <paramref name="source"/>: a cached image to map instead of <paramref name="file"/>, or the
    /// file's inode and version, under which the image made here is cached (none: not cached).
    public static int Load(UserThread thread, string path, string executable, byte[] file, byte[][] argv, byte[][] envp,
        Files.Vfs.FileIdentity identity = default, Files.Vfs.ExecSource source = default)
    {
        UserProcess p = thread.Process;
        ElfImage? image = source.Cached?.Elf;
        int r = image != null ? 0 : ElfImage.TryParse(file, out image);
        if (r != 0 || image == null) return r != 0 ? r : -Errno.ENOEXEC;
        if (image.Interpreter != null) return -Errno.ENOENT; // dynamic linking comes later; Linux says ENOENT when ld.so is missing
        ulong bias = image.IsPositionIndependent ? PieBase - MemoryMap.PageDown(image.LowestAddress) : 0;
        if (MemoryMap.PageDown(image.LowestAddress) + bias < p.Pages.LowestUserAddress) return -Errno.ENOEXEC;
        byte[] random = RandomBytes(p);
        InitialStack? stack;
        r = InitialStack.TryBuild(MemoryMap.StackTop, argv, envp, Latin1.Encode(path) ?? new byte[0], random,
            Latin1.Encode("x86_64") ?? new byte[0], Auxv(p, image, bias), ArgumentLimits.ForStackLimit(MemoryMap.StackReserve), out stack);
        if (r != 0 || stack == null) return r != 0 ? r : -Errno.E2BIG;

        // Past this point the old image is gone: a failure ends the process with SIGSEGV,
        // as Linux does after exec's point of no return.
        p.Memory.Clear();
        p.ExecutablePath = executable;
        p.CommandLine = Joined(argv);
        p.Environment = Joined(envp);
        r = source.Cached != null ? MapImage(p, source.Cached)
            : source.File != null ? LoadCached(p, file, image, bias, identity, source)
            : LoadSegments(p.Memory, p.ExecutablePath, file, image, bias, identity, out p.BrkStart);
        p.Brk = p.BrkStart;
        if (r == 0) r = MapStack(p, stack);
        if (r == 0 && p.Host.Vdso != null) r = p.Host.Vdso.Map(p);
        if (r != 0)
        {
            thread.ExitGroup(Signals.WaitStatus.Killed(Signals.Signal.SIGSEGV, false));
            return 0;
        }
        p.Files.CloseOnExec();
        thread.Process.Host.UserMode.TakeFpu(ref thread.Registers); // the CPU keeps none of the old program's FPU state
        thread.Registers.Reset(image.Entry + bias, stack.StackPointer);
        return 0;
    }

    // The strings each followed by a NUL, as they sit on the new stack.
    private static byte[] Joined(byte[][] strings)
    {
        int n = 0;
        for (int i = 0; i < strings.Length; i++) n += strings[i].Length + 1;
        var joined = new byte[n];
        int at = 0;
        for (int i = 0; i < strings.Length; i++)
        {
            System.Array.Copy(strings[i], 0, joined, at, strings[i].Length);
            at += strings[i].Length + 1;
        }
        return joined;
    }

    private static AuxvEntry[] Auxv(UserProcess p, ElfImage image, ulong bias)
    {
        return new AuxvEntry[]
        {
            new AuxvEntry(AuxvType.AT_SYSINFO_EHDR, p.Host.Vdso != null ? Vdso.ImageAddress : 0),
            new AuxvEntry(AuxvType.AT_MINSIGSTKSZ, 2048),
            new AuxvEntry(AuxvType.AT_HWCAP, 0x178BFBFF),
            new AuxvEntry(AuxvType.AT_PAGESZ, PageSize),
            new AuxvEntry(AuxvType.AT_CLKTCK, 100),
            new AuxvEntry(AuxvType.AT_PHDR, image.ProgramHeaderAddress == 0 ? 0 : image.ProgramHeaderAddress + bias),
            new AuxvEntry(AuxvType.AT_PHENT, 56),
            new AuxvEntry(AuxvType.AT_PHNUM, (ulong)image.ProgramHeaderCount),
            new AuxvEntry(AuxvType.AT_BASE, 0),
            new AuxvEntry(AuxvType.AT_FLAGS, 0),
            new AuxvEntry(AuxvType.AT_ENTRY, image.Entry + bias),
            new AuxvEntry(AuxvType.AT_UID, p.Uid),
            new AuxvEntry(AuxvType.AT_EUID, p.Euid),
            new AuxvEntry(AuxvType.AT_GID, p.Gid),
            new AuxvEntry(AuxvType.AT_EGID, p.Egid),
            new AuxvEntry(AuxvType.AT_SECURE, 0),
        };
    }

    // Lays the image out in a template space of its own, maps it from there and hands it to the
    // cache (on the VfsActor, which owns the cache), so the next exec of the file maps it too.
    private static int LoadCached(UserProcess p, byte[] file, ElfImage image, ulong bias, Files.Vfs.FileIdentity identity, Files.Vfs.ExecSource source)
    {
        IPageTables template = p.Host.UserMode.CreateAddressSpace();
        var layout = new MemoryMap(template);
        int r = LoadSegments(layout, p.ExecutablePath, file, image, bias, identity, out ulong brk);
        if (r != 0)
        {
            template.Destroy();
            return r;
        }
        var regions = new MemoryRegion[layout.Count];
        for (int i = 0; i < regions.Length; i++) regions[i] = layout[i];
        var made = new ExecImage(source.File!, source.Version, image, template, regions, brk);
        r = MapImage(p, made);
        ExecImageCache cache = p.Host.ExecImages;
        p.Host.Vfs.Post(() =>
        {
            cache.Add(made);
            return 0;
        });
        return r;
    }

    // The cached image's regions, their pages shared copy-on-write from its template.
    private static int MapImage(UserProcess p, ExecImage image)
    {
        for (int i = 0; i < image.Regions.Length; i++)
        {
            MemoryRegion r = image.Regions[i];
            if (!p.Memory.IsFree(r.Start, r.End)) return -Errno.ENOEXEC;
            MemoryRegion mine = r.CopyRange(r.Start, r.End);
            mine.Name = p.ExecutablePath; // the path this exec ran it by
            p.Memory.Add(mine);
            if (!p.Pages.ShareFrom(image.Template, r.Start, r.End)) return -Errno.ENOMEM;
        }
        p.BrkStart = image.Brk;
        return 0;
    }

    // The segments' regions in `memory`, their pages mapped and filled from the file; the
    // first address past them in `highest` (where brk starts).
    private static int LoadSegments(MemoryMap memory, string? name, byte[] file, ElfImage image, ulong bias, Files.Vfs.FileIdentity identity, out ulong highest)
    {
        highest = 0;
        IPageTables pages = memory.Pages;
        for (int i = 0; i < image.Segments.Length; i++)
        {
            ElfSegment s = image.Segments[i];
            if (s.MemorySize == 0) continue;
            ulong start = MemoryMap.PageDown(s.VirtualAddress + bias), end = MemoryMap.PageUp(s.EndAddress + bias);
            var prot = PageProtection.None;
            if (s.Readable) prot |= PageProtection.Read;
            if (s.Writable) prot |= PageProtection.Write;
            if (s.Executable) prot |= PageProtection.Execute;
            // Two segments may share a page at their edges: the page gets both rights.
            MemoryRegion? shared = memory.Find(start);
            if (shared != null)
            {
                shared.Protection |= prot;
                for (ulong page = shared.Start; page < shared.End; page += PageSize)
                    if (pages.Query(page) != PageState.NotMapped) pages.Protect(page, shared.Protection);
                start = shared.End;
            }
            if (start < end)
            {
                if (!memory.IsFree(start, end)) return -Errno.ENOEXEC;
                memory.Add(new MemoryRegion(start, end, prot, RegionKind.Image, name)
                {
                    FileOffset = MemoryMap.PageDown(s.FileOffset) + (start - MemoryMap.PageDown(s.VirtualAddress + bias)),
                    FileDevice = identity.Device,
                    FileInode = identity.Inode,
                });
            }
            if (!Populate(memory, s.VirtualAddress + bias, file, s.FileOffset, s.FileSize, end)) return -Errno.ENOMEM;
            if (end > highest) highest = end;
        }
        return 0;
    }

    // Maps the pages of [va, end) writable for the kernel's copy and copies the file bytes in.
    private static bool Populate(MemoryMap memory, ulong va, byte[] file, ulong offset, ulong size, ulong end)
    {
        IPageTables pages = memory.Pages;
        for (ulong page = MemoryMap.PageDown(va); page < end; page += PageSize)
        {
            if (pages.Query(page) != PageState.NotMapped) continue;
            MemoryRegion? r = memory.Find(page);
            if (r == null || !pages.MapZeroed(page, r.Protection)) return false;
        }
        if (size == 0) return true;
        return pages.Write(va, new ReadOnlySpan<byte>(file, (int)offset, (int)size)) == (int)size;
    }

    private static int MapStack(UserProcess p, InitialStack stack)
    {
        ulong bottom = MemoryMap.StackTop - MemoryMap.StackReserve;
        var rw = PageProtection.Read | PageProtection.Write;
        if (!p.Memory.IsFree(bottom, MemoryMap.StackTop + PageSize)) return -Errno.ENOMEM;
        p.Memory.Add(new MemoryRegion(bottom, MemoryMap.StackTop + PageSize, rw, RegionKind.Stack, "[stack]"));
        for (ulong page = MemoryMap.PageDown(stack.StackPointer); page <= MemoryMap.StackTop; page += PageSize)
            if (!p.Pages.MapZeroed(page, rw)) return -Errno.ENOMEM;
        return p.Pages.Write(stack.StackPointer, stack.Bytes) == stack.Bytes.Length ? 0 : -Errno.ENOMEM;
    }

    // "#!interp arg" makes argv { interp, [arg,] path, argv[1..] } (fs/binfmt_script.c).
    private static byte[][] ScriptArguments(string interpreter, string? argument, string path, byte[][] argv)
    {
        int extra = argument == null ? 2 : 3;
        int rest = argv.Length > 0 ? argv.Length - 1 : 0;
        var result = new byte[extra + rest][];
        int n = 0;
        result[n++] = Latin1.Encode(interpreter) ?? new byte[0];
        if (argument != null) result[n++] = Latin1.Encode(argument) ?? new byte[0];
        result[n++] = Latin1.Encode(path) ?? new byte[0];
        for (int i = 1; i < argv.Length; i++) result[n++] = argv[i];
        return result;
    }

    // AT_RANDOM: 16 bytes mixed from the clock and the pid (getrandom's pool comes with the syscall).
    private static byte[] RandomBytes(UserProcess p)
    {
        ulong x = p.Host.Clock.MonotonicNanoseconds ^ ((ulong)p.Pid << 32) ^ 0x9E37_79B9_7F4A_7C15;
        var b = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[i] = (byte)x;
        }
        return b;
    }
}
