// The kernel corlib's conformance test: portable code that exercises the
// corlib's .NET APIs (object identity and hashing, exception messages, primitives' equality,
// hashing, ordering, formatting and parsing, the default comparers, strings,
// StringBuilder, Dictionary, HashSet, Queue, List, memory moves) and records
// one deterministic line per result, `name value`. The same source runs on
// .NET (tests/Kevlar.Corlib.Tests, qemu/Kevlar.QemuTests) and in the kernel
// (self-test corlib-conformance), and the QEMU test asserts that both give
// the same lines. Values .NET leaves unspecified (object and string hash
// codes, which it randomises) are printed only as properties that hold
// everywhere (equal strings hash alike). A line whose value is FAIL is an
// expectation this file states itself; it fails on either side.
using System.Collections.Generic;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    /// <summary>Runs every check and returns the lines, in a fixed order.</summary>
    public static List<string> Run()
    {
        var o = new Output();
        Objects(o);
        PrimitiveHashes(o);
        PrimitiveEquality(o);
        PrimitiveOrdering(o);
        EqualityComparers(o);
        StructEquality(o);
        Comparers(o);
        Strings(o);
        Formatting(o);
        Parsing(o);
        Builders(o);
        Dictionaries(o);
        HashSets(o);
        Queues(o);
        Lists(o);
        MemoryMoves(o);
        return o.Lines;
    }

    /// <summary>Collects `name value` lines.</summary>
    private sealed class Output
    {
        public readonly List<string> Lines = new List<string>();

        public void Line(string name, string value) => Lines.Add(string.Concat(name, " ", value));
        public void Line(string name, int value) => Line(name, value.ToString());
        public void Line(string name, long value) => Line(name, value.ToString());
        public void Line(string name, bool value) => Line(name, value ? "True" : "False");

        /// <summary>An expectation stated here: `ok`, or FAIL on whichever side breaks it.</summary>
        public void Check(string name, bool holds) => Line(name, holds ? "ok" : "FAIL");
    }

    /// <summary>A deterministic fingerprint of a sequence of ints (unchecked arithmetic wraps alike everywhere).</summary>
    private static int Mix(int fingerprint, int value) => fingerprint * 31 + value + 7;

    /// <summary>A deterministic fingerprint of a string's chars (never string.GetHashCode, which .NET randomises).</summary>
    private static int Fingerprint(string? s)
    {
        if (s is null) return -1;
        int f = s.Length;
        for (int i = 0; i < s.Length; i++) f = Mix(f, s[i]);
        return f;
    }

    /// <summary>The string with control and non-ASCII chars written as \uXXXX, so that every line is plain text.</summary>
    private static string Escape(string? s)
    {
        if (s is null) return "null";
        var b = new System.Text.StringBuilder();
        b.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c >= ' ' && c <= '~' && c != '\\') b.Append(c);
            else b.Append("\\u").Append(((int)c).ToString("x4"));
        }
        return b.Append('"').ToString();
    }

    /// <summary>-1, 0 or 1.</summary>
    private static int Sign(int value) => value < 0 ? -1 : value > 0 ? 1 : 0;

    /// <summary>The parts joined by '|', and their count first: `3 a||b`.</summary>
    private static string Join(string[] parts)
    {
        var b = new System.Text.StringBuilder();
        b.Append(parts.Length).Append(' ');
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0) b.Append('|');
            b.Append(parts[i]);
        }
        return b.ToString();
    }
}
