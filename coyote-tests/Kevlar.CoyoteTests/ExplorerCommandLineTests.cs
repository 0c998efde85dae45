// ExplorerCommandLineTests: `./kevlar explore --help` prints the usage with
// every option on stdout and succeeds; an unknown option is a usage error (2).
using Xunit;

namespace Kevlar.CoyoteTests;

[Collection("Console")]
public class ExplorerCommandLineTests
{
    [Fact]
    public void Main_Help_PrintsEveryOptionAndSucceeds()
    {
        var output = new StringWriter();
        TextWriter saved = Console.Out;
        Console.SetOut(output);
        int status;
        try
        {
            status = Kevlar.Explorer.Program.Main(new[] { "explore", "--help" });
        }
        finally
        {
            Console.SetOut(saved);
        }
        Assert.Equal(0, status);
        foreach (string option in new[] { "--test", "--iterations", "--seconds", "--strategy", "--seed", "--bug", "--max-steps", "--out", "--list", "--measure", "--seeds", "--batch", "--coverage" })
            Assert.Contains(option, output.ToString());
    }

    [Fact]
    public void Main_UnknownOption_IsAUsageError()
    {
        TextWriter saved = Console.Error;
        Console.SetError(new StringWriter());
        try
        {
            Assert.Equal(2, Kevlar.Explorer.Program.Main(new[] { "explore", "--bogus" }));
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}
