// PageState: what the MMU holds for one user page.
namespace Kevlar.Runtime.UserMode;

public enum PageState
{
    NotMapped,
    ReadOnly,
    Writable,
    /// <summary>Mapped read-only because the frame is shared since a fork; writable once the share is broken.</summary>
    CopyOnWrite,
}
