// SharedAttribute: marks a field that more than one CPU accesses at the same
// time. Such a field is read and written only through Atomic (each access a
// scheduling point for the Coyote tests); SharedAccessScanTests enforces it.
// A field handed from one CPU to another only through a publication (written
// before an Atomic store or exchange publishes its object, read after the
// matching load) is not shared in this sense and is not marked.
using System;

namespace Kevlar.Runtime.Threading;

[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SharedAttribute : Attribute
{
}
