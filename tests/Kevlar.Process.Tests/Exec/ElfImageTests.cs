// ElfImageTests: ElfImage.TryParse on real executables (musl programs built
// at test time, Debian's static BusyBox), each compared field by field with
// what readelf reads from the same file.
using Kevlar.Process.Exec;
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests.Exec;

public class ElfImageTests : IClassFixture<MuslPrograms>
{
    private const string Busybox = "/bin/busybox";
    private readonly MuslPrograms _programs;

    public ElfImageTests(MuslPrograms programs) => _programs = programs;

    [Fact]
    public void TryParse_StaticMuslProgram_MatchesReadelf()
    {
        ElfImage image = ParseAndCompare(_programs.Static);

        Assert.False(image.IsPositionIndependent);
        Assert.Null(image.Interpreter);
        Assert.NotEqual(0UL, image.TlsSize);
    }

    [Fact]
    public void TryParse_StaticPie_IsPositionIndependentWithoutInterpreter()
    {
        ElfImage image = ParseAndCompare(_programs.StaticPie);

        Assert.True(image.IsPositionIndependent);
        Assert.Null(image.Interpreter);
        Assert.Equal(0UL, image.LowestAddress);
    }

    [Fact]
    public void TryParse_DynamicMuslProgram_NamesMuslLoader()
    {
        ElfImage image = ParseAndCompare(_programs.Dynamic);

        Assert.True(image.IsPositionIndependent);
        Assert.Equal("/lib/ld-musl-x86_64.so.1", image.Interpreter);
    }

    [Fact]
    public void TryParse_ExecStackProgram_HasExecutableStack()
    {
        ElfImage image = ParseAndCompare(_programs.StaticExecStack);

        Assert.True(image.ExecutableStack);
    }

    [Fact]
    public void TryParse_Busybox_MatchesReadelf()
    {
        Assert.True(File.Exists(Busybox), "Debian's busybox-static must be installed at " + Busybox);

        ElfImage image = ParseAndCompare(Busybox);

        Assert.False(image.ExecutableStack);
        Assert.True(image.Segments.Length >= 2);
    }

    [Fact]
    public void TryParse_ProgramWithoutPhdrHeader_FindsTableInFirstLoad()
    {
        ElfImage image = ParseAndCompare(_programs.Static);
        var listing = ReadElfListing.Of(_programs.Static);

        Assert.Empty(listing.OfType("PHDR"));
        Assert.Equal(image.Segments[0].VirtualAddress + listing.ProgramHeaderOffset, image.ProgramHeaderAddress);
    }

    /// <summary>Parses <paramref name="path"/> and checks every field readelf also reports.</summary>
    private static ElfImage ParseAndCompare(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var listing = ReadElfListing.Of(path);

        int result = ElfImage.TryParse(file, out ElfImage? parsed);

        Assert.Equal(0, result);
        ElfImage image = parsed!;
        Assert.Equal(listing.Entry, image.Entry);
        Assert.Equal(listing.FileType == "DYN", image.IsPositionIndependent);
        Assert.Equal(listing.ProgramHeaderCount, image.ProgramHeaderCount);
        Assert.Equal(listing.Interpreter, image.Interpreter);
        CompareSegments(listing, image);
        CompareOtherHeaders(listing, image);
        return image;
    }

    private static void CompareSegments(ReadElfListing listing, ElfImage image)
    {
        var loads = listing.OfType("LOAD").ToList();
        Assert.Equal(loads.Count, image.Segments.Length);
        for (int i = 0; i < loads.Count; i++)
        {
            ElfSegment s = image.Segments[i];
            Assert.Equal(loads[i].VirtualAddress, s.VirtualAddress);
            Assert.Equal(loads[i].MemorySize, s.MemorySize);
            Assert.Equal(loads[i].Offset, s.FileOffset);
            Assert.Equal(loads[i].FileSize, s.FileSize);
            Assert.Equal(loads[i].Alignment, s.Alignment);
            Assert.Equal(loads[i].Flags.Contains('R'), s.Readable);
            Assert.Equal(loads[i].Flags.Contains('W'), s.Writable);
            Assert.Equal(loads[i].Flags.Contains('E'), s.Executable);
        }
        Assert.Equal(loads.Min(l => l.VirtualAddress) & ~0xFFFUL, image.LowestAddress);
        Assert.Equal((loads.Max(l => l.VirtualAddress + l.MemorySize) + 0xFFF) & ~0xFFFUL, image.HighestAddress);
    }

    private static void CompareOtherHeaders(ReadElfListing listing, ElfImage image)
    {
        var stack = listing.OfType("GNU_STACK").LastOrDefault();
        Assert.Equal(stack != null && stack.Flags.Contains('E'), image.ExecutableStack);
        var tls = listing.OfType("TLS").FirstOrDefault();
        Assert.Equal(tls?.VirtualAddress ?? 0, image.TlsAddress);
        Assert.Equal(tls?.MemorySize ?? 0, image.TlsSize);
        var phdr = listing.OfType("PHDR").FirstOrDefault();
        if (phdr != null)
            Assert.Equal(phdr.VirtualAddress, image.ProgramHeaderAddress);
        else
            Assert.NotEqual(0UL, image.ProgramHeaderAddress);
    }
}
