// IpParameter: the kernel command line's ip= parameter in its static form
// (Linux's Documentation/admin-guide/nfs/nfsroot.rst):
//   ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf>
// Empty fields are allowed and trailing ones may be left off; a missing
// netmask is the client address's class default, as ipconfig derives it.
// Autoconfiguration (dhcp, bootp, rarp) is not done here: those forms, "off"
// and "none" configure nothing.
namespace Kevlar.Net;

public sealed class IpParameter
{
    public readonly uint Address;
    public readonly int PrefixLength;
    public readonly uint Gateway;
    /// <summary>The device named (empty: the first Ethernet device).</summary>
    public readonly string Device;

    private IpParameter(uint address, int prefixLength, uint gateway, string device)
    {
        Address = address;
        PrefixLength = prefixLength;
        Gateway = gateway;
        Device = device;
    }

    /// <summary>The static configuration <paramref name="text"/> gives, or null when it gives none
    /// or is malformed.</summary>
    public static IpParameter? Parse(string text)
    {
        string[] fields = text.Split(':');
        if (fields.Length == 0 || !TryParseAddress(fields[0], out uint address) || address == 0) return null;
        uint gateway = 0;
        if (fields.Length > 2 && fields[2].Length > 0 && !TryParseAddress(fields[2], out gateway)) return null;
        int prefix;
        if (fields.Length > 3 && fields[3].Length > 0)
        {
            if (!TryParseAddress(fields[3], out uint mask)) return null;
            prefix = PrefixOf(mask);
            if (prefix < 0) return null;
        }
        else prefix = address >> 31 == 0 ? 8 : address >> 30 == 2 ? 16 : 24;
        string device = fields.Length > 5 ? fields[5] : "";
        return new IpParameter(address, prefix, gateway, device);
    }

    /// <summary>The prefix length of a contiguous netmask, -1 for one with holes.</summary>
    public static int PrefixOf(uint mask)
    {
        int n = 0;
        while (n < 32 && (mask & (0x80000000u >> n)) != 0) n++;
        return n < 32 && (mask << n) != 0 ? -1 : n;
    }

    /// <summary>A dotted quad ("10.0.2.15") as a host-order address.</summary>
    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        int part = 0, value = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (value < 0 || part == 4) return false;
                address = address << 8 | (uint)value;
                part++;
                value = -1;
                continue;
            }
            char c = text[i];
            if (c < '0' || c > '9') return false;
            value = (value < 0 ? 0 : value * 10) + (c - '0');
            if (value > 255) return false;
        }
        return part == 4;
    }
}
