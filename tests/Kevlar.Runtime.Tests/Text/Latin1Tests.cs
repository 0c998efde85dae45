// Latin1Tests: byte strings survive Decode then Encode unchanged, and a
// string that did not come from bytes is refused rather than mangled.
using Kevlar.Runtime.Text;
using Xunit;

namespace Kevlar.Runtime.Tests.Text;

public class Latin1Tests
{
    [Fact]
    public void DecodeThenEncode_EveryByteValue_RoundTrips()
    {
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        string text = Latin1.Decode(all);

        Assert.Equal(256, text.Length);
        Assert.Equal(all, Latin1.Encode(text));
    }

    [Fact]
    public void Decode_Empty_GivesEmptyString() => Assert.Equal("", Latin1.Decode(ReadOnlySpan<byte>.Empty));

    [Fact]
    public void Decode_MatchesDotNetLatin1() =>
        Assert.Equal(System.Text.Encoding.Latin1.GetString(new byte[] { 0x41, 0xE9, 0xFF }), Latin1.Decode(new byte[] { 0x41, 0xE9, 0xFF }));

    [Fact]
    public void Encode_CharAboveU00FF_ReturnsNull()
    {
        Assert.Null(Latin1.Encode("ok\u0100"));
        Assert.False(Latin1.IsEncodable("\u20AC"));
    }
}
