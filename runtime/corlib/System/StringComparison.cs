// Kernel corlib: System.StringComparison. The kernel has no culture data: only
// Ordinal is implemented; any other value is a kernel bug (fail-fast).
namespace System;

public enum StringComparison
{
    CurrentCulture = 0,
    CurrentCultureIgnoreCase = 1,
    InvariantCulture = 2,
    InvariantCultureIgnoreCase = 3,
    Ordinal = 4,
    OrdinalIgnoreCase = 5,
}
