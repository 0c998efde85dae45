// PageState: what the MMU holds for one user page.
namespace Kevlar.Runtime.UserMode;

public enum PageState
{
    NotMapped,
    ReadOnly,
    Writable,
}
