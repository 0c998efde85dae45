// Options from the kernel command line (QEMU -append): space-separated
// key=value words. kevlar.test=NAME[,NAME] runs self-tests and exits QEMU;
// kevlar.fault=KIND triggers a deliberate fault (kevlar.fault=syscall:N: at
// the first system call N a user program makes); kevlar.cpus=N caps the CPUs;
// kevlar.storm=N sets the message-storm self-test's message count;
// kevlar.gclive=KIB and kevlar.gcrounds=N the gc-pauses self-test's live data and collections;
// kevlar.gc=stw makes every collection stop the world for its whole mark (the default marks
// concurrently), kevlar.gc=verify marks concurrently, collects eight times as often and checks
// every finished mark (tests);
// kevlar.trace=syscalls prints every system call; kevlar.referrers=0xMT makes
// the heap census (/proc/kevlar/heap) count references to that type by type; kevlar.watchdog=SECONDS sets
// the stuck-CPU watchdog's timeout (0 turns it off); quiet drops the boot lines;
// ip=ADDRESS::GATEWAY:NETMASK configures eth0 (Linux's ip= parameter).
namespace Kevlar.Drivers.X86_64.Boot;

public sealed class BootOptions
{
    public string Tests = "";
    public string Fault = "";
    /// <summary>kevlar.fault=syscall:N: the system call that fails an assertion (-1: none).</summary>
    public long FaultSyscall = -1;
    public int MaxCpus;
    public long StormMessages;
    /// <summary>kevlar.gclive=KIB: live data the gc-pauses self-test keeps (0: its default).</summary>
    public long GcLiveKiB;
    /// <summary>kevlar.gcrounds=N: collections the gc-pauses self-test measures (0: its default).</summary>
    public long GcRounds;
    /// <summary>kevlar.gc=MODE: "stw", "verify", or empty (concurrent marking).</summary>
    public string GcMode = "";
    public bool TraceSyscalls;
    public bool Quiet;
    /// <summary>ip=CLIENT:SERVER:GATEWAY:NETMASK:...: the Ethernet interface's static address
    /// (Linux's nfsroot form; empty when not given).</summary>
    public string Ip = "";
    /// <summary>kevlar.referrers=0xADDRESS: the MethodTable whose referrers the heap census counts (0: none).</summary>
    public ulong ReferrersOf;
    /// <summary>kevlar.watchdog=SECONDS: the watchdog's timeout (0 off), -1 when not given.</summary>
    public long WatchdogSeconds = -1;

    public static BootOptions Read(IPhysicalMemoryReader memory, in PvhStartInfo info)
    {
        var options = new BootOptions();
        byte[] buffer = new byte[1024];
        if (info.TryReadCommandLine(memory, buffer, out int length) != PvhError.None) return options;
        int i = 0;
        while (i < length)
        {
            while (i < length && buffer[i] == ' ') i++;
            int start = i;
            while (i < length && buffer[i] != ' ') i++;
            options.Apply(buffer, start, i);
        }
        return options;
    }

    private void Apply(byte[] word, int start, int end)
    {
        int eq = start;
        while (eq < end && word[eq] != '=') eq++;
        if (eq == end)
        {
            if (Text(word, start, end) == "quiet") Quiet = true;
            return;
        }
        string key = Text(word, start, eq), value = Text(word, eq + 1, end);
        if (key == "kevlar.test") Tests = value;
        else if (key == "ip") Ip = value;
        else if (key == "kevlar.fault" && value.StartsWith("syscall:")) FaultSyscall = ParseLong(value.Substring(8));
        else if (key == "kevlar.fault") Fault = value;
        else if (key == "kevlar.cpus") MaxCpus = (int)ParseLong(value);
        else if (key == "kevlar.storm") StormMessages = ParseLong(value);
        else if (key == "kevlar.gclive") GcLiveKiB = ParseLong(value);
        else if (key == "kevlar.gcrounds") GcRounds = ParseLong(value);
        else if (key == "kevlar.gc") GcMode = value;
        else if (key == "kevlar.trace") TraceSyscalls = value == "syscalls";
        else if (key == "kevlar.watchdog") WatchdogSeconds = ParseLong(value);
        else if (key == "kevlar.referrers") ReferrersOf = ParseHex(value);
    }

    private static string Text(byte[] b, int start, int end)
    {
        char[] chars = new char[end - start];
        for (int i = start; i < end; i++) chars[i - start] = (char)b[i];
        return new string(chars);
    }

    // 0x-prefixed (or bare) hexadecimal; stops at the first other character.
    private static ulong ParseHex(string s)
    {
        ulong v = 0;
        int i = s.StartsWith("0x") ? 2 : 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) break;
            v = v * 16 + (ulong)d;
        }
        return v;
    }

    private static long ParseLong(string s)
    {
        long v = 0;
        for (int i = 0; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
        return v;
    }

    /// <summary>True when NAME appears in the comma-separated test list (or the list is "all").</summary>
    public bool WantsTest(string name)
    {
        if (Tests == "all") return true;
        int i = 0;
        while (i < Tests.Length)
        {
            int start = i;
            while (i < Tests.Length && Tests[i] != ',') i++;
            if (i - start == name.Length && Same(Tests, start, name)) return true;
            i++;
        }
        return false;
    }

    private static bool Same(string s, int at, string name)
    {
        for (int k = 0; k < name.Length; k++) if (s[at + k] != name[k]) return false;
        return true;
    }
}
