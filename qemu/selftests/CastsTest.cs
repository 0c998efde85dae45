// Casts and array stores through the runtime's type-cast helpers: arrays are
// objects and System.Arrays, reference arrays are covariant, interfaces and
// class parents cast, and wrong casts are refused by `is`/`as`.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class CastsTest : SelfTest
{
    private class Animal { }
    private sealed class Dog : Animal, IComparableThing { public int Rank() => 1; }
    private interface IComparableThing { int Rank(); }

    public override string Name => "casts";

    public override void Start(Scheduler scheduler)
    {
        int passed = 0, total = 0;
        Check(ref passed, ref total, IsArray(new int[2]));
        Check(ref passed, ref total, IsArray(new string[1]));
        Check(ref passed, ref total, !IsArray(new Dog()));
        object[] boxes = new object[3];
        Store(boxes, 0, new int[4]);
        Store(boxes, 1, "text");
        Store(boxes, 2, new Dog());
        Check(ref passed, ref total, boxes[0] is int[] ints && ints.Length == 4);
        Check(ref passed, ref total, AsObjects(new string[] { "a", "b" }) is object[] objects && objects.Length == 2);
        Check(ref passed, ref total, AsAnimal(new Dog()) != null && AsAnimal(new object()) == null);
        Check(ref passed, ref total, AsThing(new Dog()) is IComparableThing t && t.Rank() == 1 && AsThing(new Animal()) == null);
        Check(ref passed, ref total, !(AsArrayObject(new int[1]) is long[]) && !(AsArrayObject(new Dog[1]) is string[]));
        Finish(passed == total, string.Concat(Out.Dec(passed), " of ", Out.Dec(total), " cast checks hold"));
    }

    private static void Check(ref int passed, ref int total, bool ok) { total++; if (ok) passed++; }

    [MethodImpl(MethodImplOptions.NoInlining)] private static bool IsArray(object o) => o is Array;
    [MethodImpl(MethodImplOptions.NoInlining)] private static void Store(object[] a, int i, object v) => a[i] = v;
    [MethodImpl(MethodImplOptions.NoInlining)] private static object AsObjects(object o) => (object[])o;
    [MethodImpl(MethodImplOptions.NoInlining)] private static Animal? AsAnimal(object o) => o as Animal;
    [MethodImpl(MethodImplOptions.NoInlining)] private static object? AsThing(object o) => o as IComparableThing;
    [MethodImpl(MethodImplOptions.NoInlining)] private static object AsArrayObject(object o) => o;
}
