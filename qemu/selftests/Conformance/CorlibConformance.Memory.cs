// Conformance: overlapping copies in both directions through Array.Copy and
// Span.CopyTo (memmove semantics), Fill and Clear, over bytes, chars, ints,
// longs and references, at lengths and offsets around the word and block sizes.
using System;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    private static readonly int[] Offsets = { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33 };
    private static readonly int[] Lengths = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 64, 65 };
    private const int ArrayLength = 140;

    private static byte[] Pattern(int length)
    {
        var a = new byte[length];
        for (int i = 0; i < length; i++) a[i] = (byte)(i * 7 + 3);
        return a;
    }

    /// <summary>What a copy of length items from src to dst must leave, computed through a separate buffer.</summary>
    private static byte[] Expected(byte[] original, int src, int dst, int length)
    {
        var temp = new byte[length];
        for (int i = 0; i < length; i++) temp[i] = original[src + i];
        var result = new byte[original.Length];
        for (int i = 0; i < original.Length; i++) result[i] = original[i];
        for (int i = 0; i < length; i++) result[dst + i] = temp[i];
        return result;
    }

    private static int Fingerprint(byte[] a)
    {
        int f = a.Length;
        for (int i = 0; i < a.Length; i++) f = Mix(f, a[i]);
        return f;
    }

    private static void MemoryMoves(Output o)
    {
        ByteMoves(o);
        WideMoves(o);
        ReferenceMoves(o);
        Fills(o);
    }

    private static void ByteMoves(Output o)
    {
        foreach (int length in Lengths)
        {
            int f = 0, wrongArray = 0, wrongSpan = 0;
            foreach (int src in Offsets)
                foreach (int dst in Offsets)
                {
                    if (src + length > ArrayLength || dst + length > ArrayLength) continue;
                    byte[] expected = Expected(Pattern(ArrayLength), src, dst, length);
                    byte[] a = Pattern(ArrayLength);
                    Array.Copy(a, src, a, dst, length);
                    byte[] s = Pattern(ArrayLength);
                    new Span<byte>(s, src, length).CopyTo(new Span<byte>(s, dst, length));
                    for (int i = 0; i < ArrayLength; i++)
                    {
                        if (a[i] != expected[i]) wrongArray++;
                        if (s[i] != expected[i]) wrongSpan++;
                    }
                    f = Mix(f, Fingerprint(a));
                }
            o.Line(string.Concat("mem.bytes len ", length.ToString()), string.Concat(f.ToString(), " wrong ", wrongArray.ToString(), "/", wrongSpan.ToString()));
        }
        var big = new byte[10007];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)(i % 251);
        Array.Copy(big, 3, big, 1000, 9000);
        int up = Fingerprint(big);
        Array.Copy(big, 1000, big, 5, 9000);
        o.Line("mem.bytes big", string.Concat(up.ToString(), " ", Fingerprint(big).ToString()));
    }

    private static void WideMoves(Output o)
    {
        var ints = new int[100];
        var longs = new long[100];
        var chars = new char[100];
        for (int i = 0; i < 100; i++) { ints[i] = i * 1000003; longs[i] = (long)i << 35 | (long)i; chars[i] = (char)('A' + i % 26); }
        Array.Copy(ints, 0, ints, 3, 90);
        Array.Copy(ints, 10, ints, 1, 50);
        new Span<int>(ints, 20, 33).CopyTo(new Span<int>(ints, 21, 33));
        Array.Copy(longs, 5, longs, 0, 95);
        Array.Copy(longs, 0, longs, 7, 80);
        new Span<char>(chars, 0, 70).CopyTo(new Span<char>(chars, 29, 70));
        new Span<char>(chars, 40, 50).CopyTo(new Span<char>(chars, 1, 50));
        int fi = 0, fl = 0;
        for (int i = 0; i < 100; i++) { fi = Mix(fi, ints[i]); fl = Mix(fl, (int)(longs[i] >> 3) ^ (int)(longs[i] >> 35)); }
        o.Line("mem.ints", fi);
        o.Line("mem.longs", fl);
        o.Line("mem.chars", new string(chars));
    }

    private static void ReferenceMoves(Output o)
    {
        var words = new string[50];
        for (int i = 0; i < 50; i++) words[i] = i.ToString();
        Array.Copy(words, 0, words, 1, 49);
        Array.Copy(words, 10, words, 2, 30);
        new Span<string>(words, 5, 20).CopyTo(new Span<string>(words, 9, 20));
        var b = new System.Text.StringBuilder();
        foreach (string w in words) b.Append(w).Append(',');
        o.Line("mem.refs", b.ToString());
        Array.Clear(words, 10, 5);
        int nulls = 0;
        foreach (string w in words) if (w is null) nulls++;
        o.Line("mem.refs cleared", nulls);
    }

    private static void Fills(Output o)
    {
        var bytes = new byte[77];
        new Span<byte>(bytes, 3, 70).Fill(0xAB);
        new Span<byte>(bytes, 9, 33).Clear();
        o.Line("mem.fill bytes", Fingerprint(bytes));
        var ints = new int[41];
        new Span<int>(ints).Fill(-3);
        new Span<int>(ints, 1, 39).Clear();
        new Span<int>(ints, 17, 5).Fill(9);
        int f = 0;
        foreach (int v in ints) f = Mix(f, v);
        o.Line("mem.fill ints", f);
        var chars = new char[20];
        new Span<char>(chars).Fill('-');
        new Span<char>(chars, 5, 10).Fill('#');
        o.Line("mem.fill chars", new string(chars));
        var longs = new long[9];
        new Span<long>(longs).Fill(-1);
        Array.Clear(longs, 2, 3);
        Array.Clear(longs);
        long total = 0;
        foreach (long v in longs) total += v;
        o.Line("mem.clear longs", total);
        var bools = new bool[13];
        new Span<bool>(bools, 2, 9).Fill(true);
        int trues = 0;
        foreach (bool v in bools) if (v) trues++;
        o.Line("mem.fill bools", trues);
    }
}
