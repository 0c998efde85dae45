// Kernel corlib: little-endian reads from byte spans (x86 is little-endian).
// The 32- and 64-bit reads and writes are one unaligned load or store after
// the span's bounds check: the Internet checksum sums packets eight bytes at a
// time, and struct stat and the network headers are written, through them.
namespace System.Buffers.Binary;

public static class BinaryPrimitives
{
    public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> s) => (ushort)(s[0] | s[1] << 8);
    // Safety: s holds at least four bytes (the index check first); x86_64 loads unaligned.
    public static unsafe uint ReadUInt32LittleEndian(ReadOnlySpan<byte> s)
    {
        _ = s[3];
        fixed (byte* p = s) return *(uint*)p;
    }
    // Safety: s holds at least eight bytes (the index check first); x86_64 loads unaligned.
    public static unsafe ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> s)
    {
        _ = s[7]; // the bounds check, as the byte-wise read would make it
        fixed (byte* p = s) return *(ulong*)p;
    }
    public static short ReadInt16LittleEndian(ReadOnlySpan<byte> s) => (short)ReadUInt16LittleEndian(s);
    public static int ReadInt32LittleEndian(ReadOnlySpan<byte> s) => (int)ReadUInt32LittleEndian(s);
    public static long ReadInt64LittleEndian(ReadOnlySpan<byte> s) => (long)ReadUInt64LittleEndian(s);
    public static void WriteUInt16LittleEndian(Span<byte> d, ushort v) { d[0] = (byte)v; d[1] = (byte)(v >> 8); }
    // Safety: d holds at least four bytes (the index check first); x86_64 stores unaligned.
    public static unsafe void WriteUInt32LittleEndian(Span<byte> d, uint v)
    {
        _ = d[3];
        fixed (byte* p = d) *(uint*)p = v;
    }
    // Safety: d holds at least eight bytes (the index check first); x86_64 stores unaligned.
    public static unsafe void WriteUInt64LittleEndian(Span<byte> d, ulong v)
    {
        _ = d[7];
        fixed (byte* p = d) *(ulong*)p = v;
    }
    public static void WriteInt16LittleEndian(Span<byte> d, short v) => WriteUInt16LittleEndian(d, (ushort)v);
    public static void WriteInt32LittleEndian(Span<byte> d, int v) => WriteUInt32LittleEndian(d, (uint)v);
    public static void WriteInt64LittleEndian(Span<byte> d, long v) => WriteUInt64LittleEndian(d, (ulong)v);
    // Network byte order (IPv4, UDP, TCP headers).
    public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> s) => (ushort)(s[0] << 8 | s[1]);
    public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);
    public static void WriteUInt16BigEndian(Span<byte> d, ushort v) { d[0] = (byte)(v >> 8); d[1] = (byte)v; }
    public static void WriteUInt32BigEndian(Span<byte> d, uint v) { d[0] = (byte)(v >> 24); d[1] = (byte)(v >> 16); d[2] = (byte)(v >> 8); d[3] = (byte)v; }
}
