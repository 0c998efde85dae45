// CapturedMemory: an IPhysicalMemoryReader over the regions in one data/
// directory (files named <what>@<hex address>.bin), or built by hand in a test.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Kevlar.Drivers.X86_64.Boot;

namespace Kevlar.Drivers.Tests;

/// <summary>
/// Sparse physical memory: bytes of the added regions; anything else below
/// <see cref="ZeroFilledLimit"/> reads as zeros, anything above it fails.
/// </summary>
public sealed class CapturedMemory : IPhysicalMemoryReader
{
    private readonly List<(ulong Address, byte[] Bytes)> _regions = new();

    /// <summary>Addresses below this that no region covers read as zeros (low RAM and BIOS areas).</summary>
    public ulong ZeroFilledLimit { get; set; } = 0x100000;

    /// <summary>Loads every region of data/<paramref name="directory"/>.</summary>
    public static CapturedMemory Load(string directory)
    {
        var memory = new CapturedMemory();
        string path = Path.Combine(AppContext.BaseDirectory, "data", directory);
        foreach (string file in Directory.GetFiles(path, "*@*.bin"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            ulong address = ulong.Parse(name.Substring(name.IndexOf('@') + 1), NumberStyles.HexNumber);
            memory.Add(address, File.ReadAllBytes(file));
        }
        return memory;
    }

    /// <summary>Address of the region whose file name starts with <paramref name="what"/>.</summary>
    public static ulong AddressOf(string directory, string what)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", directory);
        string name = Path.GetFileNameWithoutExtension(Directory.GetFiles(path, what + "@*.bin")[0]);
        return ulong.Parse(name.Substring(name.IndexOf('@') + 1), NumberStyles.HexNumber);
    }

    /// <summary>Adds (or overlays, later wins) a region.</summary>
    public void Add(ulong address, byte[] bytes) => _regions.Add((address, bytes));

    /// <summary>The bytes of the region starting exactly at <paramref name="address"/>, for corrupting in place.</summary>
    public byte[] RegionAt(ulong address)
    {
        foreach (var region in _regions)
        {
            if (region.Address == address)
                return region.Bytes;
        }
        throw new ArgumentException("no region at that address");
    }

    public bool TryRead(ulong physAddr, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            if (!TryReadByte(physAddr + (ulong)i, out byte value))
                return false;
            dest[i] = value;
        }
        return true;
    }

    private bool TryReadByte(ulong address, out byte value)
    {
        for (int r = _regions.Count - 1; r >= 0; r--)
        {
            var (start, bytes) = _regions[r];
            if (address >= start && address - start < (ulong)bytes.Length)
            {
                value = bytes[address - start];
                return true;
            }
        }
        value = 0;
        return address < ZeroFilledLimit;
    }
}
