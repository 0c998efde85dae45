// Interface calls through the runtime's dispatch resolver, with several
// implementations behind a non-inlined call so ilc cannot devirtualise them:
// a class, a derived class re-implementing explicitly, a generic interface.
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class InterfaceDispatchTest : SelfTest
{
    private interface IShape { int Area(); int Scale(int k); }
    private interface IBox<T> { T Get(); }

    private class Square : IShape
    {
        public int Side;
        public virtual int Area() => Side * Side;
        public int Scale(int k) => Side * k;
    }
    private sealed class Rectangle : Square, IShape
    {
        public int Height;
        public override int Area() => Side * Height;
        int IShape.Scale(int k) => (Side + Height) * k;
    }
    private sealed class Circle : IShape
    {
        public int R;
        public int Area() => 3 * R * R;
        public int Scale(int k) => R * k * 2;
    }
    private sealed class Box<T> : IBox<T>
    {
        private readonly T _value;
        public Box(T value) { _value = value; }
        public T Get() => _value;
    }

    public override string Name => "interface-dispatch";

    public override void Start(Scheduler scheduler)
    {
        IShape[] shapes = { new Square { Side = 3 }, new Rectangle { Side = 2, Height = 5 }, new Circle { R = 2 } };
        int total = 0;
        for (int i = 0; i < shapes.Length; i++) total += Measure(shapes[i]);
        IBox<string> box = new Box<string>("boxed");
        IBox<int> number = new Box<int>(41);
        bool ok = total == (9 + 12) + (10 + 28) + (12 + 16) && Open(box) == "boxed" && Open(number) + 1 == 42;
        Finish(ok, string.Concat("3 implementations, 2 generic instantiations, checksum ", Out.Dec(total)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Measure(IShape s) => s.Area() + s.Scale(4);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Open<T>(IBox<T> box) => box.Get();
}
