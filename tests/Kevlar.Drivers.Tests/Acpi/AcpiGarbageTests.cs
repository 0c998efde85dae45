// AcpiGarbageTests: seeded random corruption of real tables; discovery must
// return a value (success or an error), never throw.
using System;
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class AcpiGarbageTests
{
    [Theory]
    [InlineData("qemu-pc-smp4", 0x7FE0000)]
    [InlineData("qemu-microvm-smp4", 0xEFD00)]
    public void TryDiscover_RandomByteFlips_NeverThrows(string capture, ulong tablesAt)
    {
        var random = new Random(1234);
        for (int round = 0; round < 300; round++)
        {
            var memory = CapturedMemory.Load(capture);
            byte[] tables = memory.RegionAt(tablesAt);
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++)
                tables[tables.Length - 1 - random.Next(Math.Min(tables.Length, 512))] = (byte)random.Next(256);

            AcpiError error = AcpiPlatform.TryDiscover(memory, 0, out AcpiPlatform? platform);

            Assert.Equal(error == AcpiError.None, platform != null);
        }
    }

    [Fact]
    public void TryParse_RandomMadtBodiesWithValidHeader_NeverThrow()
    {
        var random = new Random(99);
        for (int round = 0; round < 2000; round++)
        {
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            byte[] table = TableBuilder.Madt().Bytes(body).Build();

            AcpiError error = MadtParser.TryParse(table, out Madt? madt);

            Assert.Equal(error == AcpiError.None, madt != null);
        }
    }
}
