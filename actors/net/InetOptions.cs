// InetOptions: the IPv4 protocol numbers and option names user space passes
// to socket(2), getsockopt(2) and setsockopt(2) (include/uapi/linux/in.h).
namespace Kevlar.Net;

public static class InetOptions
{
    // socket(2)'s protocol argument and the option levels.
    public const int IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17;

    // Level IPPROTO_IP.
    public const int IP_TOS = 1, IP_TTL = 2;
}
