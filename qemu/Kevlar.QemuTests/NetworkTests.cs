// The kernel on a network: a virtio-net device on QEMU's user-mode network
// (restrict=on: nothing leaves QEMU but the forwards, all on 127.0.0.1) or on
// a UDP socket netdev between two QEMUs on this host's loopback. What is
// checked is what a user does: BusyBox's network tools on eth0, wget in the
// guest from a server on this host (guestfwd), httpd in the guest fetched
// from this host (hostfwd), qemu/user/net/bulk.c's 10 MiB checked stream
// between the guest and a native bulk on this host both ways, and between two
// kernels, qemu/user/net/echo.c's eight clients on one kernel against an
// epoll server on another, and junk from the wire. The transfers' times go to
// the test output as figures.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class NetworkTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 120;
    private const string Busybox = "/bin/busybox";
    /// <summary>The guest-side address guestfwd rules here use for a server on this host.</summary>
    private const string HostServer = "10.0.2.100";

    /// <summary>Waits (up to 20 s) until a native server on this host listens on <paramref name="port"/>,
    /// read from /proc/net/tcp so as not to use up its one connection: QEMU's guestfwd connects to it
    /// when QEMU starts, and fails to start if nothing listens yet.</summary>
    private static void WaitListening(int port)
    {
        string local = ":" + port.ToString("X4");
        for (int i = 0; i < 200; i++)
        {
            foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                if (!File.Exists(table)) continue;
                foreach (string line in File.ReadAllLines(table))
                {
                    string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length > 3 && f[1].EndsWith(local, StringComparison.Ordinal) && f[3] == "0A") return; // 0A: LISTEN
                }
            }
            Thread.Sleep(100);
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static int FreeUdpPort()
    {
        using var u = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)u.Client.LocalEndPoint!).Port;
    }

    /// <summary>A directory with /bin/busybox and, when given, more files (path inside, bytes).</summary>
    private static string BusyboxRoot(params (string Path, byte[] Bytes)[] files)
    {
        string root = Path.Combine(Path.GetTempPath(), $"kevlar-net-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy(Busybox, Path.Combine(root, "bin", "busybox"));
        foreach (var (path, bytes) in files)
        {
            string full = Path.Combine(root, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
        return root;
    }

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Md5(byte[] bytes) => Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant();

    private UserRunResult Kernel(string root, string script, params string[] options)
    {
        var run = UserRun.Kernel([root], Busybox, ["sh", "-c", script], TimeoutSeconds, options);
        output.WriteLine(run.Describe());
        string? unfinished = UserRun.Unfinished(run);
        Assert.True(unfinished == null, $"the kernel: {unfinished} (exit {run.ExitCode})");
        return run;
    }

    private static void AssertLine(UserRunResult run, string expected, string what)
        => Assert.True(run.Lines.Any(l => l.Contains(expected)), $"{what}: no line contains \"{expected}\"");

    [Fact]
    public void BusyboxTools_OnEth0_SeeTheInterfaceRoutesAndGateway()
    {
        string root = BusyboxRoot();
        try
        {
            // 10.0.2.99 is on the subnet but nobody answers ARP for it: its pings are lost, not a crash.
            var run = Kernel(root, "busybox ifconfig eth0; busybox ip addr show eth0; busybox ip route; busybox route -n; "
                + "busybox ping -c 2 10.0.2.2; cat /proc/net/arp; busybox ip link show eth0; busybox ping -c 1 -W 2 10.0.2.99; "
                + "busybox netstat -rn; echo done", "--net");
            AssertLine(run, "HWaddr 52:54:00:12:34:56", "ifconfig eth0");
            AssertLine(run, "inet addr:10.0.2.15  Bcast:10.0.2.255  Mask:255.255.255.0", "ifconfig eth0");
            AssertLine(run, "UP BROADCAST RUNNING MULTICAST  MTU:1500", "ifconfig eth0");
            AssertLine(run, "inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0", "ip addr");
            AssertLine(run, "default via 10.0.2.2 dev eth0", "ip route");
            AssertLine(run, "10.0.2.0/24 dev eth0 scope link  src 10.0.2.15", "ip route");
            Assert.Contains(run.Lines, l => l.StartsWith("0.0.0.0") && l.Contains("10.0.2.2") && l.Contains("UG") && l.EndsWith("eth0"));
            AssertLine(run, "2 packets transmitted, 2 packets received, 0% packet loss", "ping 10.0.2.2");
            Assert.Contains(run.Lines, l => l.StartsWith("10.0.2.2 ") && l.Contains("0x2") && l.EndsWith("eth0"));
            AssertLine(run, "eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", "ip link");
            AssertLine(run, "1 packets transmitted, 0 packets received, 100% packet loss", "ping 10.0.2.99");
            AssertLine(run, "done", "the script");
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void IpAndRoute_ConfigureEth0_OverNetlinkAndIoctls()
    {
        string root = BusyboxRoot();
        try
        {
            // eth0 starts down with no address (ip=off); each step prints a marker, then what it shows.
            var run = Kernel(root, "echo step1; busybox ip addr show eth0; "
                + "busybox ip link set eth0 up && busybox ip addr add 10.0.2.15/24 dev eth0 && busybox ip route add default via 10.0.2.2 && echo step2; "
                + "busybox ip addr add 10.0.2.15/24 dev eth0; busybox ip route add default via 10.0.2.2; "
                + "busybox ip route; busybox ping -c 1 10.0.2.2; "
                + "busybox ip route del default && echo step3; busybox ip route del default; busybox ip route; "
                + "busybox ip addr del 10.0.2.15/24 dev eth0 && echo step4; busybox ip addr show eth0; busybox ping -c 1 10.0.2.2; "
                + "busybox ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && busybox route add default gw 10.0.2.2 && echo step5; "
                + "busybox route add -net 10.9.0.0 netmask 255.255.0.0 gw 10.0.2.2; busybox ip route add 10.9.0.0/16 via 10.0.2.2; "
                + "busybox ifconfig eth0 down && echo step6; busybox ip route; busybox ifconfig eth0 up; busybox route -n; echo done",
                "--net", "--append", "ip=off");
            string text = string.Join("\n", run.Lines);
            string Between(string a, string b)
            {
                int i = text.IndexOf(a, StringComparison.Ordinal), j = text.IndexOf(b, StringComparison.Ordinal);
                Assert.True(i >= 0 && j > i, $"the markers {a} and {b} are missing or out of order");
                return text[i..j];
            }
            Assert.DoesNotContain("inet ", Between("step1", "step2"));
            string second = Between("step2", "step3");
            Assert.Equal(2, second.Split("RTNETLINK answers: File exists").Length - 1);
            Assert.Contains("default via 10.0.2.2 dev eth0", second);
            Assert.Contains("10.0.2.0/24 dev eth0 scope link  src 10.0.2.15", second);
            Assert.Contains("1 packets transmitted, 1 packets received", second);
            string third = Between("step3", "step4");
            Assert.Contains("RTNETLINK answers: No such process", third);
            Assert.DoesNotContain("default via", third);
            string fourth = Between("step4", "step5");
            Assert.DoesNotContain("inet 10.0.2.15", fourth);
            Assert.Contains("Network is unreachable", fourth);
            string fifth = Between("step5", "step6");
            Assert.Contains("SIOCADDRT: Operation not supported", fifth);
            Assert.Contains("RTNETLINK answers: Operation not supported", fifth);
            string last = Between("step6", "done");
            // Down takes eth0's routes, the default one too; up brings back only the subnet's.
            Assert.DoesNotContain("default via", last);
            Assert.Contains(run.Lines, l => l.StartsWith("10.0.2.0") && l.EndsWith("eth0"));
            Assert.DoesNotContain(run.Lines.SkipWhile(l => l != "step6"), l => l.StartsWith("0.0.0.0"));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Wget_InGuest_FetchesFromAServerOnThisHost()
    {
        byte[] blob = Payload(300_000, 1);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var server = Task.Run(() => ServeHttp(listener, blob, stop.Token));
        string root = BusyboxRoot();
        try
        {
            var run = Kernel(root, $"busybox wget -q -O /tmp/blob http://{HostServer}/blob && busybox md5sum /tmp/blob; echo done",
                "--guestfwd", $"tcp:{HostServer}:80-tcp:127.0.0.1:{port}");
            AssertLine(run, $"{Md5(blob)}  /tmp/blob", "the fetched file's md5");
        }
        finally
        {
            stop.Cancel();
            listener.Stop();
            Directory.Delete(root, true);
        }
    }

    // An HTTP/1.0 server for wget: every request gets the blob.
    private static async Task ServeHttp(TcpListener listener, byte[] blob, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop); }
            catch (Exception) { return; }
            using (client)
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    int n = await stream.ReadAsync(buffer, stop);
                    if (n == 0) break;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {blob.Length}\r\nContent-Type: application/octet-stream\r\n\r\n");
                await stream.WriteAsync(head, stop);
                await stream.WriteAsync(blob, stop);
            }
        }
    }

    [Fact]
    public async Task Httpd_InGuest_ServesThisHostThroughAForwardedPort()
    {
        byte[] blob = Payload(200_000, 2);
        int http = FreePort(), done = FreePort();
        string root = BusyboxRoot(("www/blob", blob));
        try
        {
            // httpd serves until this host connects to the second forwarded port, which ends the run; on
            // that connection the guest answers with netstat's table, taken while the connection is
            // open (the HTTP connection may be gone by then: which side closes first is a race).
            var guest = Task.Run(() => UserRun.Kernel([root], Busybox,
                ["sh", "-c", "busybox httpd -p 80 -h /www && busybox nc -l -p 81 -e busybox sh -c 'read l; busybox netstat -tn'; echo done"], TimeoutSeconds,
                "--fwd", $"tcp:127.0.0.1:{http}-:80", "--fwd", $"tcp:127.0.0.1:{done}-:81"));
            byte[]? fetched = null;
            using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (fetched == null && DateTime.UtcNow < deadline && !guest.IsCompleted)
                {
                    try { fetched = await client.GetByteArrayAsync($"http://127.0.0.1:{http}/blob"); }
                    catch (Exception) { await Task.Delay(300); }
                }
            }
            string table = "";
            var stopAt = DateTime.UtcNow.AddSeconds(30);
            while (!table.Contains("tcp") && DateTime.UtcNow < stopAt && !guest.IsCompleted)
            {
                try
                {
                    using var end = new TcpClient("127.0.0.1", done);
                    NetworkStream stream = end.GetStream();
                    stream.Write("done\n"u8);
                    stream.ReadTimeout = 20_000;
                    using var reader = new StreamReader(stream);
                    table = reader.ReadToEnd();
                }
                catch (Exception e) when (e is SocketException or IOException) { }
                if (!table.Contains("tcp")) await Task.Delay(300); // nc was not listening yet
            }
            var run = await guest;
            output.WriteLine(run.Describe());
            output.WriteLine("--- the guest's netstat -tn ---\n" + table);
            Assert.True(fetched != null, "this host never got /blob from the guest's httpd");
            Assert.True(fetched!.SequenceEqual(blob), $"the guest's httpd sent {fetched.Length} bytes that differ from the file");
            Assert.Contains(table.Split('\n'), l => l.Contains("10.0.2.15:81") && l.Contains("10.0.2.2:") && l.Contains("ESTABLISHED"));
        }
        finally { Directory.Delete(root, true); }
    }

    private static string Bulk => Path.Combine(UserRun.ProgramDir, "bulk");

    /// <summary>Runs native bulk with <paramref name="args"/> in the background.</summary>
    private static Task<ProcessResult> NativeBulk(params string[] args)
        => Task.Run(() => ProcessRunner.Run(Bulk, args, Path.GetTempPath(), TimeSpan.FromSeconds(TimeoutSeconds)));

    private void AssertBulkPassed(UserRunResult run, string side)
    {
        var failed = run.Lines.Where(l => l.StartsWith("FAIL ")).ToList();
        Assert.True(failed.Count == 0, $"{side}: {string.Join("\n", failed)}");
        Assert.True(run.Lines.Count(l => l.StartsWith("PASS bulk:")) >= 2, $"{side}: bulk did not finish");
        foreach (string l in run.Lines.Where(l => l.StartsWith("bulk: "))) output.WriteLine($"figure ({side}): {l}");
    }

    [Fact]
    public async Task Bulk_GuestToHostAndHostToGuest_TenMegabytesIntact()
    {
        UserRun.EnsureProgramsBuilt();
        int toHost = FreePort(), toGuest = FreePort();
        var hostServer = NativeBulk("server", toHost.ToString());
        WaitListening(toHost);
        var sending = UserRun.Kernel([UserRun.ProgramDir], "/bulk", ["client", HostServer, "80"], TimeoutSeconds,
            "--guestfwd", $"tcp:{HostServer}:80-tcp:127.0.0.1:{toHost}");
        output.WriteLine(sending.Describe());
        var received = await hostServer;
        output.WriteLine("--- native server ---\n" + received.Output);
        AssertBulkPassed(sending, "guest to host (guest)");
        Assert.True(received.ExitCode == 0, $"the host's bulk server: {received.Output}");

        var guestServer = Task.Run(() => UserRun.Kernel([UserRun.ProgramDir], "/bulk", ["server", "5000"], TimeoutSeconds,
            "--fwd", $"tcp:127.0.0.1:{toGuest}-:5000"));
        var hostClient = NativeBulk("client", "127.0.0.1", toGuest.ToString());
        var sent = await hostClient;
        output.WriteLine("--- native client ---\n" + sent.Output);
        var serving = await guestServer;
        output.WriteLine(serving.Describe());
        Assert.True(sent.ExitCode == 0, $"the host's bulk client: {sent.Output}");
        AssertBulkPassed(serving, "host to guest (guest)");
    }

    /// <summary>Runs <paramref name="server"/> on one kernel (10.0.3.1) and <paramref name="client"/> on
    /// another (10.0.3.2), joined by a UDP socket netdev: each QEMU sends its frames as datagrams to
    /// the other's port — no start order, and a datagram lost on this host is a lost frame.</summary>
    private async Task<(UserRunResult Server, UserRunResult Client)> TwoKernels(string program, string[] server, string[] client)
    {
        UserRun.EnsureProgramsBuilt();
        int a = FreeUdpPort(), b = FreeUdpPort();
        var serving = Task.Run(() => UserRun.Kernel([UserRun.ProgramDir], program, server, TimeoutSeconds,
            "--netdev", $"socket,udp=127.0.0.1:{b},localaddr=127.0.0.1:{a}", "--mac", "52:54:00:00:00:01",
            "--append", "ip=10.0.3.1:::255.255.255.0"));
        var clientRun = UserRun.Kernel([UserRun.ProgramDir], program, client, TimeoutSeconds,
            "--netdev", $"socket,udp=127.0.0.1:{a},localaddr=127.0.0.1:{b}", "--mac", "52:54:00:00:00:02",
            "--append", "ip=10.0.3.2:::255.255.255.0");
        output.WriteLine(clientRun.Describe());
        var served = await serving;
        output.WriteLine(served.Describe());
        return (served, clientRun);
    }

    /// <summary>The driver on each way of reaching the device: configuration space through the
    /// legacy ports (pc) or ACPI's MCFG window (q35), interrupts by MSI-X or, with the device's
    /// vectors=0, its INTx line through the I/O APIC (level-triggered). 2 MiB come from this host
    /// intact each time.</summary>
    [Theory]
    [InlineData("pc", "", "config ports", "MSI-X vector")]
    [InlineData("q35", "", "config ECAM", "MSI-X vector")]
    [InlineData("pc", "vectors=0", "config ports", "INTx vector")]
    [InlineData("q35", "vectors=0", "config ECAM", "INTx vector")]
    public async Task Device_OnEachMachineAndInterruptKind_CarriesAStreamIntact(string machine, string nic, string config, string interrupt)
    {
        UserRun.EnsureProgramsBuilt();
        int port = FreePort();
        var serving = NativeBulk("serve", port.ToString(), (2 << 20).ToString());
        WaitListening(port);
        var options = new List<string> { "--machine", machine, "--guestfwd", $"tcp:{HostServer}:80-tcp:127.0.0.1:{port}" };
        if (nic.Length > 0) options.AddRange(["--nic", nic]);
        var run = UserRun.Kernel([UserRun.ProgramDir], "/bulk", ["fetch", HostServer, "80", (2 << 20).ToString()], TimeoutSeconds, [.. options]);
        output.WriteLine(run.Describe());
        var served = await serving;
        output.WriteLine("--- native server ---\n" + served.Output);
        Assert.Contains(run.Lines, l => l.StartsWith("virtio-net: ") && l.Contains(config) && l.Contains(interrupt));
        AssertBulkPassed(run, $"{machine} {nic}");
        Assert.True(served.ExitCode == 0, $"the host's bulk server: {served.Output}");
    }

    [Fact]
    public async Task TwoKernels_OverASocketNetdev_ExchangeTenMegabytesIntact()
    {
        var (served, client) = await TwoKernels("/bulk", ["server", "5000"], ["client", "10.0.3.1", "5000"]);
        AssertBulkPassed(client, "the sending kernel");
        AssertBulkPassed(served, "the receiving kernel");
    }

    [Fact]
    public async Task TwoKernels_EightClientsOnOneKernel_AgainstAnEpollServerOnTheOther()
    {
        var (served, clients) = await TwoKernels("/echo", ["server", "7000"], ["clients", "10.0.3.1", "7000"]);
        foreach (var (run, side) in new[] { (served, "the server's kernel"), (clients, "the clients' kernel") })
        {
            var failed = run.Lines.Where(l => l.StartsWith("FAIL ")).ToList();
            Assert.True(failed.Count == 0, $"{side}: {string.Join("\n", failed)}");
        }
        AssertLine(clients, "PASS echo: 8 clients on the CPUs got their 64 KiB and 21 datagrams back through one epoll server", "the clients");
        AssertLine(clients, "PASS echo: the server answered bye", "the clients");
        AssertLine(served, "PASS echo: the server saw 8 TCP clients come and go", "the server");
        AssertLine(served, "PASS echo: the server echoed every client's datagrams", "the server");
    }

    // ---- bad input from the wire --------------------------------------------------------------

    private static readonly byte[] GuestMac = [0x52, 0x54, 0x00, 0x00, 0x00, 0x01], PeerMac = [0x52, 0x54, 0x00, 0x00, 0x00, 0x09];
    private const uint GuestIp = 0x0A000301, PeerIp = 0x0A000309;

    private static ushort Checksum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (int i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (data.Length % 2 == 1) sum += (uint)(data[^1] << 8);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    private static byte[] EthernetFrame(byte[] to, ushort type, byte[] payload)
    {
        var f = new byte[14 + payload.Length];
        to.CopyTo(f, 0);
        PeerMac.CopyTo(f, 6);
        f[12] = (byte)(type >> 8);
        f[13] = (byte)type;
        payload.CopyTo(f, 14);
        return f;
    }

    private static byte[] Ipv4(uint source, uint destination, byte protocol, byte[] transport, ushort flagsAndOffset = 0)
    {
        var p = new byte[20 + transport.Length];
        p[0] = 0x45;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), flagsAndOffset);
        p[8] = 64;
        p[9] = protocol;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), source);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(16), destination);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Checksum(p.AsSpan(0, 20)));
        transport.CopyTo(p, 20);
        return p;
    }

    // The pseudo-header sum of RFC 793/768 for a transport checksum.
    private static uint PseudoSum(uint source, uint destination, byte protocol, int length)
        => (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + protocol + (uint)length;

    private static byte[] Syn(uint source, int sourcePort, int port, uint sequence)
    {
        var t = new byte[20];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t, (ushort)sourcePort);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), (ushort)port);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), sequence);
        t[12] = 5 << 4;
        t[13] = 0x02; // SYN
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(14), 65535);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(16), Checksum(t, PseudoSum(source, GuestIp, 6, t.Length)));
        return Ipv4(source, GuestIp, 6, t);
    }

    private static byte[] EchoRequest(ushort sequence)
    {
        var m = new byte[8 + 32];
        m[0] = 8; // echo request
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), 0x4b56);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), sequence);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), Checksum(m));
        return Ipv4(PeerIp, GuestIp, 1, m);
    }

    private static byte[] ArpRequest()
    {
        var a = new byte[28];
        byte[] fixedPart = [0, 1, 8, 0, 6, 4, 0, 1];
        fixedPart.CopyTo(a, 0);
        PeerMac.CopyTo(a, 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(14), PeerIp);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(24), GuestIp);
        return EthernetFrame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0x0806, a);
    }

    /// <summary>Sends <paramref name="request"/> until a frame <paramref name="isAnswer"/> accepts comes
    /// back (true) or <paramref name="seconds"/> pass.</summary>
    private static async Task<bool> Answered(UdpClient wire, IPEndPoint guest, byte[] request, Func<byte[], bool> isAnswer, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            await wire.SendAsync(request, guest);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                while (true)
                    if (isAnswer((await wire.ReceiveAsync(wait.Token)).Buffer)) return true;
            }
            catch (OperationCanceledException) { }
        }
        return false;
    }

    private static bool IsArpReply(byte[] f)
        => f.Length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(28)) == GuestIp;

    private static bool IsEchoReply(byte[] f)
        => f.Length >= 42 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 1 && f[34] == 0 && f.AsSpan(0, 6).SequenceEqual(PeerMac);

    [Fact]
    public async Task MalformedFramesAndASynFlood_FromTheWire_AreDropped_AndTheKernelStillAnswers()
    {
        int peerPort = FreeUdpPort(), guestPort = FreeUdpPort();
        using var wire = new UdpClient(new IPEndPoint(IPAddress.Loopback, peerPort));
        var guestEnd = new IPEndPoint(IPAddress.Loopback, guestPort);
        string root = BusyboxRoot();
        try
        {
            var guest = Task.Run(() => UserRun.Kernel([root], Busybox,
                ["sh", "-c", "busybox nc -l -p 8000 > /dev/null & sleep 12; cat /proc/net/snmp; cat /proc/net/dev; echo done"], TimeoutSeconds,
                "--netdev", $"socket,udp=127.0.0.1:{peerPort},localaddr=127.0.0.1:{guestPort}", "--mac", "52:54:00:00:00:01",
                "--append", "ip=10.0.3.1:::255.255.255.0"));
            Assert.True(await Answered(wire, guestEnd, ArpRequest(), IsArpReply, 60), "the kernel never answered ARP on the wire");

            var rng = new Random(12);
            for (int i = 0; i < 300; i++)
            {
                // Random bytes of every length (some addressed to the guest, so they reach the parsers)...
                var junk = new byte[rng.Next(0, 1600)];
                rng.NextBytes(junk);
                if (junk.Length >= 14 && i % 2 == 0) GuestMac.CopyTo(junk, 0);
                await wire.SendAsync(junk, guestEnd);
                // ...IPv4 with a good header and random transport bytes, and fragments...
                var transport = new byte[rng.Next(0, 200)];
                rng.NextBytes(transport);
                byte protocol = (byte)(new[] { 1, 6, 17, 99 })[i % 4];
                await wire.SendAsync(EthernetFrame(GuestMac, 0x0800, Ipv4(PeerIp, GuestIp, protocol, transport, (ushort)(i % 7 == 0 ? 0x2000 : 0))), guestEnd);
                // ...and a header that lies about its lengths.
                byte[] liar = Ipv4(PeerIp, GuestIp, 17, transport);
                liar[0] = (byte)(0x40 | rng.Next(0, 16));
                liar[2] = (byte)rng.Next(0, 256);
                await wire.SendAsync(EthernetFrame(GuestMac, 0x0800, liar), guestEnd);
                if (i % 50 == 0) await Task.Delay(10);
            }
            // A SYN flood at the listening port from addresses that never answer ARP.
            for (int i = 0; i < 3000; i++)
            {
                uint source = 0x0A000300u | (uint)rng.Next(10, 250);
                await wire.SendAsync(EthernetFrame(GuestMac, 0x0800, Syn(source, rng.Next(1024, 65535), 8000, (uint)rng.Next())), guestEnd);
                if (i % 200 == 0) await Task.Delay(10);
            }
            Assert.True(await Answered(wire, guestEnd, ArpRequest(), IsArpReply, 10), "the kernel stopped answering ARP after the junk");
            Assert.True(await Answered(wire, guestEnd, EthernetFrame(GuestMac, 0x0800, EchoRequest(1)), IsEchoReply, 10),
                "the kernel stopped answering ping after the junk");
            var run = await guest;
            output.WriteLine(run.Describe());
            string? unfinished = UserRun.Unfinished(run);
            Assert.True(unfinished == null, $"the kernel: {unfinished} (exit {run.ExitCode})");
            AssertLine(run, "done", "the script");
        }
        finally { Directory.Delete(root, true); }
    }
}
