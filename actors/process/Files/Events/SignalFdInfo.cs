// SignalFdInfo: struct signalfd_siginfo (linux/signalfd.h), 128 bytes:
//   u32 ssi_signo @0, s32 ssi_errno @4, s32 ssi_code @8, u32 ssi_pid @12,
//   u32 ssi_uid @16, s32 ssi_fd @20, u32 ssi_tid @24, u32 ssi_band @28,
//   u32 ssi_overrun @32, u32 ssi_trapno @36, s32 ssi_status @40,
//   s32 ssi_int @44, u64 ssi_ptr @48, u64 ssi_utime @56, u64 ssi_stime @64,
//   u64 ssi_addr @72, u16 ssi_addr_lsb @80, padding to 128.
// Filled from the kernel's SignalInfo the way Linux's signalfd_copyinfo does
// for the fields this kernel keeps.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Signals;

namespace Kevlar.Process.Files.Events;

public static class SignalFdInfo
{
    public const int Size = 128;

    public static void Encode(in SignalInfo info, Span<byte> b)
    {
        b.Slice(0, Size).Clear();
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(0), info.Signal);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(8), info.Code);
        if (info.IsFault)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(72), info.Address);
            return;
        }
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(12), info.Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), info.Uid);
        if (info.Signal == Signal.SIGCHLD)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.Slice(40), info.Status);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(56), info.UserTime);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(64), info.SystemTime);
        }
    }
}
