// SymbolNames: a readable form of ILCompiler's mangled method symbols, e.g.
// Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger -> Kevlar.Drivers.X86_64.Panic.Trigger.
// Best effort: '_' is ambiguous in mangled names, so this is a reading aid
// printed next to the exact symbol, never instead of it.
using System;

namespace Kevlar.Decode;

/// <summary>Turns "&lt;module&gt;_&lt;namespace&gt;_&lt;type&gt;__&lt;method&gt;" into "Namespace.Type.Method".</summary>
public static class SymbolNames
{
    private const string CoreLibPrefix = "S_P_CoreLib_";

    /// <summary>The readable form, or null when the name does not look like an ilc method symbol.</summary>
    public static string? Readable(string mangled)
    {
        int split = mangled.IndexOf("__", StringComparison.Ordinal);
        if (split <= 0 || split + 2 >= mangled.Length || !IsPlain(mangled))
            return null;
        string type = StripModule(mangled.Substring(0, split));
        string method = mangled.Substring(split + 2);
        return DotSeparators(type) + "." + method;
    }

    /// <summary>Drops the assembly prefix: S_P_CoreLib_, or a prefix whose first word starts the namespace again (Kevlar_Kernel_Kevlar_...).</summary>
    private static string StripModule(string type)
    {
        if (type.StartsWith(CoreLibPrefix, StringComparison.Ordinal))
            return type.Substring(CoreLibPrefix.Length);
        int firstEnd = type.IndexOf('_');
        if (firstEnd <= 0)
            return type;
        string first = type.Substring(0, firstEnd + 1);
        int again = type.IndexOf("_" + first, firstEnd, StringComparison.Ordinal);
        return again > 0 ? type.Substring(again + 1) : type;
    }

    /// <summary>'_' becomes '.', except before a digit, which cannot start an identifier (X86_64, List_1).</summary>
    private static string DotSeparators(string type)
    {
        char[] chars = type.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '_' && i > 0 && i + 1 < chars.Length && !char.IsAsciiDigit(chars[i + 1]) && chars[i - 1] != '_')
                chars[i] = '.';
        }
        return new string(chars);
    }

    private static bool IsPlain(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                return false;
        }
        return true;
    }
}
