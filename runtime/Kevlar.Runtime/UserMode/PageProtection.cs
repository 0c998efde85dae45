// PageProtection: what user code may do with a page (PROT_READ/WRITE/EXEC values).
using System;

namespace Kevlar.Runtime.UserMode;

[Flags]
public enum PageProtection
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}
