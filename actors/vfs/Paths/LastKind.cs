// LastKind: what the final component of a path is (Linux's LAST_NORM,
// LAST_DOT, LAST_DOTDOT, LAST_ROOT); each call that creates or removes a name
// treats the non-normal ones its own way.
namespace Kevlar.Vfs.Paths;

/// <summary>The kind of a path's last component.</summary>
public enum LastKind
{
    /// <summary>An ordinary name.</summary>
    Normal,
    /// <summary>".".</summary>
    Dot,
    /// <summary>"..".</summary>
    DotDot,
    /// <summary>No name at all: the path is "/" (or only slashes).</summary>
    Root,
}
