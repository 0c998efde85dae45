// MonitorClient: QEMU's human monitor over a Unix socket — one command at a
// time, its text up to the next "(qemu) " prompt.
using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Kevlar.Profile;

public sealed class MonitorClient : IDisposable
{
    private const string Prompt = "(qemu) ";
    private readonly Socket _socket;
    private readonly StringBuilder _pending = new();
    private readonly byte[] _buffer = new byte[1 << 16];

    private MonitorClient(Socket socket) { _socket = socket; }

    /// <summary>Connects to <paramref name="path"/>, waiting up to <paramref name="wait"/> for QEMU
    /// to create it; null when it never appears.</summary>
    public static MonitorClient? Connect(string path, TimeSpan wait)
    {
        DateTime until = DateTime.UtcNow + wait;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                var client = new MonitorClient(socket);
                return client.ReadToPrompt() == null ? null : client;
            }
            catch (SocketException)
            {
                socket.Dispose();
                if (DateTime.UtcNow > until) return null;
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>The command's output, or null once QEMU has gone.</summary>
    public string? Run(string command)
    {
        try
        {
            _socket.Send(Encoding.ASCII.GetBytes(command + "\n"));
            return ReadToPrompt();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private string? ReadToPrompt()
    {
        while (true)
        {
            string text = _pending.ToString();
            int at = text.IndexOf(Prompt, StringComparison.Ordinal);
            if (at >= 0)
            {
                _pending.Remove(0, at + Prompt.Length);
                return text.Substring(0, at);
            }
            int n = _socket.Receive(_buffer);
            if (n <= 0) return null;
            _pending.Append(Encoding.ASCII.GetString(_buffer, 0, n));
        }
    }

    public void Dispose() => _socket.Dispose();
}
