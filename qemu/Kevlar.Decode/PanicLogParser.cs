// PanicLogParser: finds every panic report in a serial log. The log may hold
// boot output, CR characters and output of other CPUs before or around the
// report; the header may follow other text on its line.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace Kevlar.Decode;

/// <summary>Parses the panic format the kernel writes (see docs in DecodeCommand).</summary>
public static class PanicLogParser
{
    /// <summary>Marker that opens a report.</summary>
    public const string HeaderMarker = "KEVLAR PANIC cpu=";
    /// <summary>Line that closes a report.</summary>
    public const string EndMarker = "KEVLAR PANIC END";

    /// <summary>All reports in <paramref name="log"/>, in order. Empty when there is none.</summary>
    public static List<PanicReport> Parse(string log)
    {
        var reports = new List<PanicReport>();
        PanicReport? current = null;
        foreach (string rawLine in log.Split('\n'))
        {
            string line = rawLine.Replace("\r", string.Empty);
            int header = line.IndexOf(HeaderMarker, StringComparison.Ordinal);
            if (header >= 0)
            {
                current = new PanicReport();
                reports.Add(current);
                ParseHeader(line.Substring(header), current);
                continue;
            }
            if (current == null)
                continue;
            if (line.Contains(EndMarker, StringComparison.Ordinal))
            {
                current.Complete = true;
                current = null;
                continue;
            }
            ParseBodyLine(line.Trim(), current);
        }
        return reports;
    }

    /// <summary>"KEVLAR PANIC cpu=1 vector=14 (#PF page fault) error=0x2".</summary>
    private static void ParseHeader(string line, PanicReport report)
    {
        report.HeaderLine = line.TrimEnd();
        if (TryField(line, "cpu=", out string cpu) && int.TryParse(cpu, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c))
            report.Cpu = c;
        if (TryField(line, "vector=", out string vector) && int.TryParse(vector, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            report.Vector = v;
        int open = line.IndexOf('(');
        int close = open < 0 ? -1 : line.IndexOf(')', open);
        if (close > open)
            report.VectorName = line.Substring(open + 1, close - open - 1);
        if (TryField(line, "error=", out string error) && TryParseHex(error, out ulong e))
            report.ErrorCode = e;
    }

    private static void ParseBodyLine(string line, PanicReport report)
    {
        if (line.Length == 0)
            return;
        if (line.StartsWith("reason:", StringComparison.Ordinal))
        {
            report.Reason = line.Substring("reason:".Length).Trim();
            return;
        }
        if (line.StartsWith("code@", StringComparison.Ordinal) && TryParseDump(line, "code@", out ulong codeAt, out string[] bytes))
        {
            AppendCode(report, codeAt, bytes);
            return;
        }
        if (line.StartsWith("stack@", StringComparison.Ordinal) && TryParseDump(line, "stack@", out ulong stackAt, out string[] words))
        {
            AppendStack(report, stackAt, words);
            return;
        }
        if (line.StartsWith("cpu ", StringComparison.Ordinal) && line.EndsWith("recent syscalls, oldest first:", StringComparison.Ordinal))
        {
            report.RecentSyscalls.Add(line.Substring(0, line.IndexOf(" recent", StringComparison.Ordinal)) + ":");
            return;
        }
        if (line.StartsWith("cpu ", StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
        {
            report.CpuStates.Add(line);
            return;
        }
        if (line.StartsWith("pid ", StringComparison.Ordinal) && line.Contains(" nr ", StringComparison.Ordinal))
        {
            report.RecentSyscalls.Add(line);
            return;
        }
        if (!TryParseRegisters(line, report))
            report.UnparsedLines.Add(line);
    }

    /// <summary>"rax=0x... rbx=0x..." — all tokens must be name=hex, else the line is not registers.</summary>
    private static bool TryParseRegisters(string line, PanicReport report)
    {
        string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var parsed = new List<KeyValuePair<string, ulong>>();
        foreach (string token in tokens)
        {
            int eq = token.IndexOf('=');
            if (eq <= 0 || !TryParseHex(token.Substring(eq + 1), out ulong value))
                return false;
            parsed.Add(new KeyValuePair<string, ulong>(token.Substring(0, eq).ToLowerInvariant(), value));
        }
        report.Registers.AddRange(parsed);
        return parsed.Count > 0;
    }

    /// <summary>"code@0xADDR: aa bb ..." — the address and the tokens after the colon.</summary>
    private static bool TryParseDump(string line, string prefix, out ulong address, out string[] tokens)
    {
        tokens = Array.Empty<string>();
        address = 0;
        int colon = line.IndexOf(':');
        if (colon < 0 || !TryParseHex(line.Substring(prefix.Length, colon - prefix.Length), out address))
            return false;
        tokens = line.Substring(colon + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    /// <summary>Adds code bytes; a later line continues the first only when its address follows on.</summary>
    private static void AppendCode(PanicReport report, ulong address, string[] tokens)
    {
        if (report.Code.Count == 0)
            report.CodeAddress = address;
        else if (address != report.CodeAddress + (ulong)report.Code.Count)
            return;
        foreach (string t in tokens)
        {
            if (t.Length > 2 || !TryParseHex(t, out ulong b))
                break; // e.g. "(unreadable)"
            report.Code.Add((byte)b);
        }
    }

    private static void AppendStack(PanicReport report, ulong address, string[] tokens)
    {
        if (report.Stack.Count == 0)
            report.StackAddress = address;
        else if (address != report.StackAddress + 8 * (ulong)report.Stack.Count)
            return;
        foreach (string t in tokens)
        {
            if (!TryParseHex(t, out ulong q))
                break;
            report.Stack.Add(q);
        }
    }

    /// <summary>The token after <paramref name="key"/> up to the next space.</summary>
    private static bool TryField(string line, string key, out string value)
    {
        value = string.Empty;
        int at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
            return false;
        int start = at + key.Length;
        int end = line.IndexOf(' ', start);
        value = end < 0 ? line.Substring(start) : line.Substring(start, end - start);
        return true;
    }

    /// <summary>Hex with or without "0x", trailing punctuation ignored.</summary>
    internal static bool TryParseHex(string text, out ulong value)
    {
        text = text.Trim().TrimEnd(',', ':', ';');
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            text = text.Substring(2);
        return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
