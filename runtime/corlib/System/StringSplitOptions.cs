// Kernel corlib: System.StringSplitOptions.
namespace System;

[Flags]
public enum StringSplitOptions
{
    None = 0,
    RemoveEmptyEntries = 1,
    TrimEntries = 2,
}
