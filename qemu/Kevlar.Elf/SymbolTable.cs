// SymbolTable: symbols sorted by address for address -> symbol+offset lookup.
using System;
using System.Collections.Generic;

namespace Kevlar.Elf;

/// <summary>
/// Symbols sorted by value, one per address (a sized global FUNC wins over a
/// label; among aliases the longest name, so ilc's mangled name beats its
/// export alias), without zero-size labels that fall inside a sized symbol. A symbol
/// covers [Value, Value+Size); a zero-size symbol covers up to the next
/// symbol or the end of its section.
/// </summary>
public sealed class SymbolTable
{
    private readonly ElfSymbol[] _symbols;
    private readonly ulong[] _ends;
    private readonly Dictionary<string, ElfSymbol> _byName = new(StringComparer.Ordinal);

    /// <summary>Builds the table from <paramref name="symbols"/>; <paramref name="sections"/> bound zero-size ones.</summary>
    public SymbolTable(IEnumerable<ElfSymbol> symbols, IReadOnlyList<ElfSection> sections)
    {
        var list = new List<ElfSymbol>(symbols);
        list.Sort(CompareForOrder);
        var unique = new List<ElfSymbol>(list.Count);
        ulong coveredTo = 0;
        foreach (ElfSymbol s in list)
        {
            if (unique.Count > 0 && unique[^1].Value == s.Value)
                continue; // the sort put the preferred one first
            if (s.Size == 0 && s.Value < coveredTo)
                continue; // a label inside a sized function: report the function
            unique.Add(s);
            if (s.Size > 0)
                coveredTo = Math.Max(coveredTo, s.Value + s.Size < s.Value ? ulong.MaxValue : s.Value + s.Size);
        }
        _symbols = unique.ToArray();
        _ends = new ulong[_symbols.Length];
        for (int i = 0; i < _symbols.Length; i++)
            _ends[i] = ExtentEnd(i, sections);
        foreach (ElfSymbol s in list)
            _byName.TryAdd(s.Name, s);
    }

    /// <summary>Number of distinct addresses with a symbol.</summary>
    public int Count => _symbols.Length;

    /// <summary>Symbol <paramref name="index"/> in address order.</summary>
    public ElfSymbol this[int index] => _symbols[index];

    /// <summary>
    /// Finds the symbol covering <paramref name="address"/> and the offset into
    /// it. False when the address lies between or outside all symbols.
    /// </summary>
    public bool TryLookup(ulong address, out ElfSymbol? symbol, out ulong offset)
    {
        symbol = null;
        offset = 0;
        int lo = 0, hi = _symbols.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (_symbols[mid].Value <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (found < 0 || address >= _ends[found])
            return false;
        symbol = _symbols[found];
        offset = address - symbol.Value;
        return true;
    }

    /// <summary>Formats <paramref name="address"/> as "name+0xoff" ("name" at offset 0), or null.</summary>
    public string? Format(ulong address)
    {
        if (!TryLookup(address, out ElfSymbol? symbol, out ulong offset))
            return null;
        return offset == 0 ? symbol!.Name : symbol!.Name + "+0x" + offset.ToString("x");
    }

    /// <summary>The symbol named <paramref name="name"/>, or null.</summary>
    public ElfSymbol? FindByName(string name) => _byName.TryGetValue(name, out ElfSymbol? s) ? s : null;

    /// <summary>
    /// One past the last address symbol <paramref name="i"/> covers. A
    /// zero-size symbol covers up to the next symbol within its section, and
    /// nothing when it is not inside a loaded section (an end marker such as
    /// __text_end, or an absolute symbol).
    /// </summary>
    private ulong ExtentEnd(int i, IReadOnlyList<ElfSection> sections)
    {
        ElfSymbol s = _symbols[i];
        if (s.Size > 0)
            return s.Value + s.Size < s.Value ? ulong.MaxValue : s.Value + s.Size;
        if (s.SectionIndex >= sections.Count || !sections[s.SectionIndex].ContainsAddress(s.Value))
            return s.Value;
        ElfSection section = sections[s.SectionIndex];
        ulong end = section.Address + section.Size;
        return i + 1 < _symbols.Length ? Math.Min(end, _symbols[i + 1].Value) : end;
    }

    /// <summary>Address order; at one address, sized before unsized, FUNC before others, global before local, longer name first.</summary>
    private static int CompareForOrder(ElfSymbol a, ElfSymbol b)
    {
        int c = a.Value.CompareTo(b.Value);
        if (c != 0)
            return c;
        c = (b.Size > 0).CompareTo(a.Size > 0);
        if (c != 0)
            return c;
        c = (b.Type == ElfSymbol.TypeFunction).CompareTo(a.Type == ElfSymbol.TypeFunction);
        if (c != 0)
            return c;
        c = (b.Binding != ElfSymbol.BindingLocal).CompareTo(a.Binding != ElfSymbol.BindingLocal);
        if (c != 0)
            return c;
        // Aliases: the longer name carries more (ilc's mangled name over its export alias).
        c = b.Name.Length.CompareTo(a.Name.Length);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }
}
