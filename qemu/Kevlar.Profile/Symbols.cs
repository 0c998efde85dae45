// Symbols: kernel addresses against kernel.elf, user addresses against the
// profiled program's ELF (a static, non-PIE executable is loaded where it is
// linked), in ilc's readable form where there is one.
using System.Collections.Generic;
using Kevlar.Decode;
using Kevlar.Elf;

namespace Kevlar.Profile;

public sealed class Symbols
{
    private readonly ElfFile? _kernel;
    private readonly List<(string Name, ElfFile Elf)> _programs = new();
    private readonly Dictionary<ulong, string> _cache = new();

    public Symbols(string kernelPath, IEnumerable<string> programPaths)
    {
        if (ElfFile.TryLoad(kernelPath, out ElfFile? k) == ElfError.None) _kernel = k;
        foreach (string p in programPaths)
            if (ElfFile.TryLoad(p, out ElfFile? e) == ElfError.None && e!.Header.Type == ElfHeader.TypeExecutable)
                _programs.Add((System.IO.Path.GetFileName(p), e));
    }

    /// <summary>The function at a kernel address, or its hex form.</summary>
    public string Kernel(ulong address)
    {
        if (_cache.TryGetValue(address, out string? known)) return known;
        string name = "0x" + address.ToString("x");
        if (_kernel != null && _kernel.Functions.TryLookup(address, out ElfSymbol? s, out _))
            name = SymbolNames.Readable(s!.Name) ?? s.Name;
        _cache[address] = name;
        return name;
    }

    /// <summary>"program;function" for a user address, or "?" parts where nothing covers it.</summary>
    public string User(ulong address)
    {
        foreach (var (name, elf) in _programs)
            if (elf.Functions.TryLookup(address, out ElfSymbol? s, out _)) return name + ";" + s!.Name;
        return "?;0x" + address.ToString("x");
    }
}
