// Conformance: object identity and hashing, and the primitives' GetHashCode,
// Equals and CompareTo, whose values .NET defines (see CorlibConformance.cs).
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    private sealed class Thing { }

    private static void Objects(Output o)
    {
        object a = new Thing(), b = new Thing();
        o.Check("obj.hash.stable", a.GetHashCode() == a.GetHashCode());
        o.Check("obj.hash.runtime-helpers", a.GetHashCode() == RuntimeHelpers.GetHashCode(a));
        o.Line("obj.hash.null", RuntimeHelpers.GetHashCode(null));
        o.Line("obj.reference-equals", object.ReferenceEquals(b, b) && !object.ReferenceEquals(a, b));
        o.Line("obj.equals.self", a.Equals(a));
        o.Line("obj.equals.other", a.Equals(b));
        o.Line("obj.equals.null", a.Equals(null));
        o.Line("obj.static-equals.nulls", object.Equals(null, null));
        o.Line("obj.static-equals.one-null", object.Equals(a, null));
        var hashes = new HashSet<int>();
        var keep = new List<object>();
        for (int i = 0; i < 256; i++)
        {
            object x = new Thing();
            keep.Add(x);
            hashes.Add(x.GetHashCode());
        }
        o.Check("obj.hash.spread", hashes.Count >= 240);
        o.Check("obj.hash.kept", keep[17].GetHashCode() == RuntimeHelpers.GetHashCode(keep[17]));
        string s1 = "abc", s2 = new string(new char[] { 'a', 'b', 'c' });
        o.Line("obj.equals.string-virtual", ((object)s1).Equals(s2));
        o.Line("obj.reference-equals.string-copy", object.ReferenceEquals(s1, s2));
        o.Line("exception.message", Escape(new System.Exception("waited too long").Message));
        o.Line("exception.message.default", Escape(new System.Exception().Message));
        o.Line("exception.message.null", Escape(new System.Exception(null).Message));
    }

    private static void PrimitiveHashes(Output o)
    {
        int[] ints = { 0, 1, -1, 42, 123456789, int.MinValue, int.MaxValue };
        foreach (int v in ints) o.Line(string.Concat("hash.int ", v.ToString()), v.GetHashCode());
        uint[] uints = { 0, 1, 0x80000000, uint.MaxValue };
        foreach (uint v in uints) o.Line(string.Concat("hash.uint ", v.ToString()), v.GetHashCode());
        long[] longs = { 0, 1, -1, 42, 0x100000002, -4294967296, long.MinValue, long.MaxValue };
        foreach (long v in longs) o.Line(string.Concat("hash.long ", v.ToString()), v.GetHashCode());
        ulong[] ulongs = { 0, 1, 0x100000002, 0xFFFFFFFF00000001, ulong.MaxValue };
        foreach (ulong v in ulongs) o.Line(string.Concat("hash.ulong ", v.ToString()), v.GetHashCode());
        short[] shorts = { 0, 1, -2, short.MinValue, short.MaxValue };
        foreach (short v in shorts) o.Line(string.Concat("hash.short ", v.ToString()), v.GetHashCode());
        ushort[] ushorts = { 0, 1, ushort.MaxValue };
        foreach (ushort v in ushorts) o.Line(string.Concat("hash.ushort ", v.ToString()), v.GetHashCode());
        sbyte[] sbytes = { 0, -2, sbyte.MinValue, sbyte.MaxValue };
        foreach (sbyte v in sbytes) o.Line(string.Concat("hash.sbyte ", v.ToString()), v.GetHashCode());
        byte[] bytes = { 0, 1, 200, byte.MaxValue };
        foreach (byte v in bytes) o.Line(string.Concat("hash.byte ", v.ToString()), v.GetHashCode());
        char[] chars = { '\0', 'A', 'z', '\u1234', '\uffff' };
        foreach (char v in chars) o.Line(string.Concat("hash.char ", ((int)v).ToString()), v.GetHashCode());
        o.Line("hash.bool True", true.GetHashCode());
        o.Line("hash.bool False", false.GetHashCode());
        nint[] nints = { 0, -5, unchecked((nint)0x100000002), nint.MaxValue };
        foreach (nint v in nints) o.Line(string.Concat("hash.nint ", v.ToString()), v.GetHashCode());
        nuint[] nuints = { 0, 7, unchecked((nuint)0xFFFFFFFF00000001) };
        foreach (nuint v in nuints) o.Line(string.Concat("hash.nuint ", v.ToString()), v.GetHashCode());
        DoubleHashes(o);
    }

    private static void DoubleHashes(Output o)
    {
        o.Line("hash.double 0", 0.0.GetHashCode());
        o.Line("hash.double -0", (-0.0).GetHashCode());
        o.Line("hash.double 1.5", 1.5.GetHashCode());
        o.Line("hash.double -2.25", (-2.25).GetHashCode());
        o.Line("hash.double NaN", double.NaN.GetHashCode());
        o.Line("hash.double -NaN", (-double.NaN).GetHashCode());
        o.Line("hash.double +inf", double.PositiveInfinity.GetHashCode());
        o.Line("hash.double -inf", double.NegativeInfinity.GetHashCode());
        o.Line("hash.double max", double.MaxValue.GetHashCode());
        o.Line("hash.double epsilon", double.Epsilon.GetHashCode());
        o.Line("hash.float 0", 0.0f.GetHashCode());
        o.Line("hash.float -0", (-0.0f).GetHashCode());
        o.Line("hash.float 1.5", 1.5f.GetHashCode());
        o.Line("hash.float NaN", float.NaN.GetHashCode());
        o.Line("hash.float -inf", float.NegativeInfinity.GetHashCode());
        o.Line("hash.float max", float.MaxValue.GetHashCode());
    }

    private static bool Eq<T>(T a, T b) where T : IEquatable<T> => a.Equals(b);

    private static void PrimitiveEquality(Output o)
    {
        o.Line("eq.int typed", 5.Equals(5));
        o.Line("eq.int object", 5.Equals((object)5));
        o.Line("eq.int object-long", 5.Equals((object)5L));
        o.Line("eq.int object-null", 5.Equals(null));
        o.Line("eq.boxed int", ((object)5).Equals(5));
        o.Line("eq.boxed int-long", ((object)5).Equals(5L));
        o.Line("eq.boxed int-other", ((object)5).Equals(6));
        o.Line("eq.long typed", (1L << 40).Equals(1L << 40));
        o.Line("eq.uint object-int", 3u.Equals((object)3));
        o.Line("eq.ulong object", ulong.MaxValue.Equals((object)ulong.MaxValue));
        o.Line("eq.byte object-sbyte", ((byte)1).Equals((object)(sbyte)1));
        o.Line("eq.short typed", ((short)-3).Equals((short)-3));
        o.Line("eq.ushort object", ((ushort)9).Equals((object)(ushort)9));
        o.Line("eq.char object", 'q'.Equals((object)'q'));
        o.Line("eq.char object-int", 'q'.Equals((object)(int)'q'));
        o.Line("eq.bool typed", true.Equals(true) && !true.Equals(false));
        o.Line("eq.bool object", false.Equals((object)false));
        o.Line("eq.nint object", ((nint)7).Equals((object)(nint)7));
        o.Line("eq.nuint object-nint", ((nuint)7).Equals((object)(nint)7));
        o.Line("eq.double nan-equals", double.NaN.Equals(double.NaN));
        double nan1 = double.NaN, nan2 = double.NaN;
        o.Line("eq.double nan-operator", nan1 == nan2);
        o.Line("eq.double zeros", 0.0.Equals(-0.0));
        o.Line("eq.double object", 1.5.Equals((object)1.5));
        o.Line("eq.double object-float", 1.5.Equals((object)1.5f));
        o.Line("eq.float nan-equals", float.NaN.Equals(float.NaN));
        o.Line("eq.float object", 2.5f.Equals((object)2.5f));
        o.Line("eq.iequatable int", Eq(4, 4));
        o.Line("eq.iequatable long", Eq(4L, 5L));
        o.Line("eq.iequatable char", Eq('x', 'x'));
        o.Line("eq.iequatable string", Eq("ab", string.Concat("a", "b")));
        o.Line("eq.iequatable double-nan", Eq(double.NaN, double.NaN));
    }

    private static int Cmp<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b);

    private static int CmpObject(object a, object? b) => ((IComparable)a).CompareTo(b);

    private static void PrimitiveOrdering(Output o)
    {
        o.Line("cmp.int 1 2", 1.CompareTo(2));
        o.Line("cmp.int 2 1", 2.CompareTo(1));
        o.Line("cmp.int 2 2", 2.CompareTo(2));
        o.Line("cmp.int min max", int.MinValue.CompareTo(int.MaxValue));
        o.Line("cmp.int null", 1.CompareTo(null));
        o.Line("cmp.uint max 0", uint.MaxValue.CompareTo(0u));
        o.Line("cmp.long min 0", long.MinValue.CompareTo(0L));
        o.Line("cmp.ulong 0 max", 0UL.CompareTo(ulong.MaxValue));
        o.Line("cmp.byte 10 200", ((byte)10).CompareTo((byte)200));
        o.Line("cmp.sbyte -100 100", ((sbyte)-100).CompareTo((sbyte)100));
        o.Line("cmp.short max min", short.MaxValue.CompareTo(short.MinValue));
        o.Line("cmp.ushort 1 65535", ((ushort)1).CompareTo(ushort.MaxValue));
        o.Line("cmp.char a z", 'a'.CompareTo('z'));
        o.Line("cmp.bool false true", false.CompareTo(true));
        o.Line("cmp.bool true false", true.CompareTo(false));
        o.Line("cmp.bool true true", true.CompareTo(true));
        o.Line("cmp.nint -1 1", ((nint)(-1)).CompareTo((nint)1));
        o.Line("cmp.double nan 1", double.NaN.CompareTo(1.0));
        o.Line("cmp.double 1 nan", 1.0.CompareTo(double.NaN));
        o.Line("cmp.double nan nan", double.NaN.CompareTo(double.NaN));
        o.Line("cmp.double -0 0", (-0.0).CompareTo(0.0));
        o.Line("cmp.double -inf 0", double.NegativeInfinity.CompareTo(0.0));
        o.Line("cmp.float nan -inf", float.NaN.CompareTo(float.NegativeInfinity));
        o.Line("cmp.generic int", Cmp(3, 9));
        o.Line("cmp.generic byte", Cmp((byte)9, (byte)3));
        o.Line("cmp.generic char", Cmp('b', 'a'));
        o.Line("cmp.object int", CmpObject(7, 3));
        o.Line("cmp.object long", CmpObject(7L, 9L));
        o.Line("cmp.object short", CmpObject((short)7, (short)9));
        o.Line("cmp.object null", CmpObject(7, null));
        o.Line("cmp.object double", CmpObject(2.0, double.NaN));
    }
}
