// AuxvEntry: one (a_type, a_val) pair of the auxiliary vector (psABI §3.4.3,
// Elf64_auxv_t: two 8-byte words).
namespace Kevlar.Process.Exec;

/// <summary>An auxiliary vector entry; Type is one of <see cref="AuxvType"/>.</summary>
public readonly struct AuxvEntry
{
    public AuxvEntry(ulong type, ulong value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>a_type: an AT_* value.</summary>
    public ulong Type { get; }
    /// <summary>a_val: a number or a user address, by type.</summary>
    public ulong Value { get; }
}
