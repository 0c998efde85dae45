// INetworkDevice: an Ethernet device as the network stack sees it — its
// address and MTU, a transmit that copies a frame into the device's ring (from
// any CPU, never blocking), and a receiver it hands each frame it receives.
// Metal's virtio-net driver is one; host tests wire two fakes back to back.
using System;

namespace Kevlar.Runtime.Devices;

public interface INetworkDevice
{
    /// <summary>The device's MAC address (6 bytes).</summary>
    byte[] HardwareAddress { get; }

    /// <summary>The largest IP packet a frame carries (1500 on Ethernet).</summary>
    int Mtu { get; }

    /// <summary>Whether the link is up (virtio-net's VIRTIO_NET_S_LINK_UP; true when the device
    /// does not report it).</summary>
    bool LinkUp { get; }

    /// <summary>Whether the device fills in transport checksums (Transmit's checksumStart).</summary>
    bool ChecksumOffload { get; }

    /// <summary>Sends the frame <paramref name="header"/> + <paramref name="payload"/> (the
    /// Ethernet header and what it carries; the device adds no padding or FCS the stack must
    /// know of). Any CPU; the bytes are copied before it returns. With ChecksumOffload and
    /// <paramref name="checksumStart"/> ≥ 0, the device sums the frame from that offset to its end
    /// and adds the result to the 16 bits at checksumStart + <paramref name="checksumOffset"/>
    /// (which hold the pseudo-header's sum), as the one's complement checksum. False when the
    /// transmit ring is full and the frame was dropped (counted by the device).</summary>
    bool Transmit(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, int checksumStart = -1, int checksumOffset = 0);

    /// <summary>Starts reception: each frame received is handed to <paramref name="receiver"/> on
    /// the device's actor, one at a time.</summary>
    void Start(INetworkReceiver receiver);

    /// <summary>Frames the device dropped: transmit ring full, received frames malformed.</summary>
    long TransmitDrops { get; }
}

/// <summary>Who takes a device's received frames.</summary>
public interface INetworkReceiver
{
    /// <summary>One received Ethernet frame (header included, no FCS); the span is the device's
    /// buffer, valid only during the call, so what is kept must be copied.</summary>
    void Receive(ReadOnlySpan<byte> frame);
}
