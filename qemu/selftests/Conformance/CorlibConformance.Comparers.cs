// Conformance: EqualityComparer<T>.Default and Comparer<T>.Default over
// primitives, strings, enums, nullables, classes and structs, and the default
// (field by field) Equals and GetHashCode of structs.
using System;
using System.Collections.Generic;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    private enum Color { Red, Green = 5, Blue }
    private enum Small : sbyte { Neg = -2, Pos = 3 }
    private enum Big : long { Near = 1, Far = 0x100000002 }
    private enum Tiny : byte { Low = 1, Top = 200 }

    /// <summary>A class with value equality through overrides only.</summary>
    private sealed class Point
    {
        public readonly int X, Y;
        public Point(int x, int y) { X = x; Y = y; }
        public override bool Equals(object? obj) => obj is Point p && p.X == X && p.Y == Y;
        public override int GetHashCode() => X * 397 + Y;
    }

    /// <summary>A class with value equality through IEquatable&lt;T&gt;.</summary>
    private sealed class Named : IEquatable<Named>
    {
        public readonly string Name;
        public Named(string name) { Name = name; }
        public bool Equals(Named? other) => other is not null && other.Name == Name;
        public override bool Equals(object? obj) => Equals(obj as Named);
        public override int GetHashCode() => Fingerprint(Name);
    }

    private sealed class Ranked : IComparable<Ranked>
    {
        public readonly int Rank;
        public Ranked(int rank) { Rank = rank; }
        public int CompareTo(Ranked? other) => other is null ? 1 : Rank.CompareTo(other.Rank);
    }

    private sealed class OldRanked : IComparable
    {
        public readonly int Rank;
        public OldRanked(int rank) { Rank = rank; }
        public int CompareTo(object? obj) => obj is OldRanked r ? Rank - r.Rank : 1;
    }

    private readonly struct Pair : IEquatable<Pair>
    {
        public readonly int A, B;
        public Pair(int a, int b) { A = a; B = b; }
        public bool Equals(Pair other) => A == other.A && B == other.B;
        public override bool Equals(object? obj) => obj is Pair p && Equals(p);
        public override int GetHashCode() => A * 31 + B;
    }

    // Structs without Equals overrides: .NET compares them field by field.
    private struct Plain { public int A; public int B; }
    private struct Tagged { public string Tag; public int N; }
    private struct Measure { public double V; }
    private struct Padded { public byte A; public long B; }
    private struct Outer { public Plain P; public string S; }

    private static void EqualityComparers(Output o)
    {
        o.Line("eqc.int equal", EqualityComparer<int>.Default.Equals(3, 3));
        o.Line("eqc.int differ", EqualityComparer<int>.Default.Equals(3, 4));
        o.Line("eqc.int hash", EqualityComparer<int>.Default.GetHashCode(42));
        o.Line("eqc.long hash", EqualityComparer<long>.Default.GetHashCode(0x100000002));
        o.Line("eqc.char hash", EqualityComparer<char>.Default.GetHashCode('A'));
        o.Line("eqc.bool hash", EqualityComparer<bool>.Default.GetHashCode(true));
        o.Line("eqc.byte hash", EqualityComparer<byte>.Default.GetHashCode(200));
        o.Line("eqc.double nan", EqualityComparer<double>.Default.Equals(double.NaN, double.NaN));
        o.Line("eqc.double zeros-hash", EqualityComparer<double>.Default.GetHashCode(-0.0));
        var strings = EqualityComparer<string>.Default;
        string ab = string.Concat("a", "b");
        o.Line("eqc.string equal", strings.Equals("ab", ab));
        o.Line("eqc.string differ", strings.Equals("ab", "ba"));
        o.Line("eqc.string nulls", strings.Equals(null, null));
        o.Line("eqc.string one-null", strings.Equals("a", null));
        o.Check("eqc.string hash-alike", strings.GetHashCode("ab") == strings.GetHashCode(ab));
        o.Check("eqc.string hash-as-string", strings.GetHashCode(ab) == "ab".GetHashCode());
        o.Line("eqc.enum equal", EqualityComparer<Color>.Default.Equals(Color.Green, Color.Green));
        o.Line("eqc.enum differ", EqualityComparer<Color>.Default.Equals(Color.Green, Color.Blue));
        o.Line("eqc.enum hash", EqualityComparer<Color>.Default.GetHashCode(Color.Blue));
        o.Line("eqc.enum-sbyte hash", EqualityComparer<Small>.Default.GetHashCode(Small.Neg));
        o.Line("eqc.enum-long hash", EqualityComparer<Big>.Default.GetHashCode(Big.Far));
        o.Line("eqc.enum-byte hash", EqualityComparer<Tiny>.Default.GetHashCode(Tiny.Top));
        o.Line("enum.hash sbyte", Small.Neg.GetHashCode());
        o.Line("enum.hash long", Big.Far.GetHashCode());
        o.Line("enum.hash byte", Tiny.Top.GetHashCode());
        o.Line("enum.equals boxed", ((object)Color.Green).Equals(Color.Green));
        o.Line("enum.equals boxed-other", ((object)Color.Green).Equals(Color.Red));
        o.Line("enum.equals boxed-int", ((object)Color.Green).Equals(5));
        o.Line("enum.compare sbyte", Small.Neg.CompareTo(Small.Pos));
        o.Line("enum.compare long", Big.Far.CompareTo(Big.Near));
        var nullables = EqualityComparer<int?>.Default;
        o.Line("eqc.nullable nulls", nullables.Equals(null, null));
        o.Line("eqc.nullable null-value", nullables.Equals(null, 1));
        o.Line("eqc.nullable values", nullables.Equals(1, 1));
        o.Line("eqc.nullable null-hash", nullables.GetHashCode(null!));
        o.Line("eqc.nullable hash", nullables.GetHashCode(7));
        object thing = new Thing();
        o.Line("eqc.class identity", EqualityComparer<object>.Default.Equals(thing, thing));
        o.Line("eqc.class distinct", EqualityComparer<object>.Default.Equals(new Thing(), new Thing()));
        o.Line("eqc.point equal", EqualityComparer<Point>.Default.Equals(new Point(1, 2), new Point(1, 2)));
        o.Line("eqc.point differ", EqualityComparer<Point>.Default.Equals(new Point(1, 2), new Point(2, 1)));
        o.Line("eqc.point hash", EqualityComparer<Point>.Default.GetHashCode(new Point(1, 2)));
        o.Line("eqc.point null", EqualityComparer<Point>.Default.Equals(null, new Point(0, 0)));
        o.Line("eqc.named equal", EqualityComparer<Named>.Default.Equals(new Named("n"), new Named("n")));
        o.Line("eqc.pair equal", EqualityComparer<Pair>.Default.Equals(new Pair(1, 2), new Pair(1, 2)));
        o.Line("eqc.pair differ", EqualityComparer<Pair>.Default.Equals(new Pair(1, 2), new Pair(1, 3)));
        o.Line("eqc.pair hash", EqualityComparer<Pair>.Default.GetHashCode(new Pair(1, 2)));
    }

    private static void StructEquality(Output o)
    {
        Plain p1 = new Plain { A = 1, B = 2 }, p2 = new Plain { A = 1, B = 2 }, p3 = new Plain { A = 2, B = 1 };
        o.Line("struct.plain equal", p1.Equals(p2));
        o.Line("struct.plain differ", p1.Equals(p3));
        o.Line("struct.plain other-type", p1.Equals(new Pair(1, 2)));
        o.Check("struct.plain hash-alike", p1.GetHashCode() == p2.GetHashCode());
        o.Line("struct.plain comparer", EqualityComparer<Plain>.Default.Equals(p1, p2));
        string tag = new string('t', 2);
        Tagged t1 = new Tagged { Tag = "tt", N = 1 }, t2 = new Tagged { Tag = tag, N = 1 }, t3 = new Tagged { Tag = "tt", N = 2 };
        o.Line("struct.tagged equal", t1.Equals(t2));
        o.Line("struct.tagged differ", t1.Equals(t3));
        o.Line("struct.tagged nulls", new Tagged().Equals(new Tagged()));
        o.Line("struct.tagged one-null", new Tagged().Equals(t1));
        o.Check("struct.tagged hash-alike", t1.GetHashCode() == t2.GetHashCode());
        o.Line("struct.measure zeros", new Measure { V = 0.0 }.Equals(new Measure { V = -0.0 }));
        o.Line("struct.measure nan", new Measure { V = double.NaN }.Equals(new Measure { V = double.NaN }));
        o.Check("struct.measure hash-zeros", new Measure { V = 0.0 }.GetHashCode() == new Measure { V = -0.0 }.GetHashCode());
        o.Line("struct.padded equal", new Padded { A = 1, B = 5 }.Equals(new Padded { A = 1, B = 5 }));
        o.Line("struct.padded differ", new Padded { A = 1, B = 5 }.Equals(new Padded { A = 2, B = 5 }));
        Outer q1 = new Outer { P = p1, S = "s" }, q2 = new Outer { P = p2, S = new string('s', 1) };
        o.Line("struct.outer equal", q1.Equals(q2));
        o.Line("struct.outer differ", q1.Equals(new Outer { P = p3, S = "s" }));
        o.Check("struct.outer hash-alike", q1.GetHashCode() == q2.GetHashCode());
    }

    private static void Comparers(Output o)
    {
        o.Line("cmpc.int", Comparer<int>.Default.Compare(1, 2));
        o.Line("cmpc.byte", Comparer<byte>.Default.Compare(200, 10));
        o.Line("cmpc.long", Comparer<long>.Default.Compare(long.MaxValue, long.MinValue));
        o.Line("cmpc.double nan", Comparer<double>.Default.Compare(double.NaN, 0.0));
        o.Line("cmpc.enum", Comparer<Color>.Default.Compare(Color.Blue, Color.Red));
        o.Line("cmpc.enum-sbyte", Comparer<Small>.Default.Compare(Small.Neg, Small.Pos));
        o.Line("cmpc.nullable null-1", Comparer<int?>.Default.Compare(null, 1));
        o.Line("cmpc.nullable 1-null", Comparer<int?>.Default.Compare(1, null));
        o.Line("cmpc.nullable 2-1", Comparer<int?>.Default.Compare(2, 1));
        o.Line("cmpc.nullable nulls", Comparer<int?>.Default.Compare(null, null));
        var ranked = Comparer<Ranked>.Default;
        o.Line("cmpc.ranked", ranked.Compare(new Ranked(1), new Ranked(5)));
        o.Line("cmpc.ranked null-x", ranked.Compare(null, new Ranked(5)));
        o.Line("cmpc.ranked x-null", ranked.Compare(new Ranked(1), null));
        o.Line("cmpc.ranked nulls", ranked.Compare(null, null));
        o.Line("cmpc.old-ranked", Comparer<OldRanked>.Default.Compare(new OldRanked(9), new OldRanked(4)));
    }
}
