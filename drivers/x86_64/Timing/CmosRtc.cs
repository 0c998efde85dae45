// The CMOS real-time clock (MC146818, ports 0x70/0x71): read once at boot for
// CLOCK_REALTIME. Read twice until two reads agree (an update may be under
// way), in BCD or binary and 12- or 24-hour mode as register B says.
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Timing;

public static class CmosRtc
{
    /// <summary>Seconds since the Unix epoch (UTC), or 0 when the clock reads nonsense.</summary>
    public static ulong ReadUnixSeconds()
    {
        ulong a, b;
        int tries = 0;
        do
        {
            while ((Read(0x0A) & 0x80) != 0 && tries++ < 1_000_000) Native.Pause();
            a = ReadOnce();
            b = ReadOnce();
        } while (a != b && tries++ < 1_000_000);
        return a;
    }

    private static ulong ReadOnce()
    {
        byte regB = Read(0x0B);
        bool bcd = (regB & 0x04) == 0, twelveHour = (regB & 0x02) == 0;
        int sec = Decode(Read(0x00), bcd), min = Decode(Read(0x02), bcd);
        byte rawHour = Read(0x04);
        int hour = Decode((byte)(rawHour & 0x7F), bcd);
        if (twelveHour && (rawHour & 0x80) != 0) hour = (hour % 12) + 12;
        else if (twelveHour && hour == 12) hour = 0;
        int day = Decode(Read(0x07), bcd), month = Decode(Read(0x08), bcd), year = Decode(Read(0x09), bcd) + 2000;
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return 0;
        return (ulong)DaysSinceEpoch(year, month, day) * 86400 + (ulong)(hour * 3600 + min * 60 + sec);
    }

    /// <summary>Days from 1970-01-01 to the given civil date (proleptic Gregorian).</summary>
    public static long DaysSinceEpoch(int year, int month, int day)
    {
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400;
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return (long)era * 146097 + doe - 719468;
    }

    private static int Decode(byte v, bool bcd) => bcd ? (v >> 4) * 10 + (v & 0xF) : v;

    private static byte Read(byte register)
    {
        Native.Out8(0x70, register);
        return Native.In8(0x71);
    }
}
