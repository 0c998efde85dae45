// SharedAccessScan: the check behind "scheduling points by construction". It
// compiles C# sources with Roslyn and reports
//   - every access to a field marked [Shared] that is not the `ref` argument of
//     a Kevlar.Runtime.Threading.Atomic call (a constructor of the field's own
//     type may initialise it before the object is published), and
//   - every direct Volatile.* / Interlocked.* call outside Atomic itself, which
//     is how a shared field escapes being marked, unless its field is listed as
//     an exemption with a reason.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kevlar.Runtime.Tests.Threading;

public static class SharedAccessScan
{
    private const string AtomicType = "Kevlar.Runtime.Threading.Atomic";
    private const string SharedAttribute = "Kevlar.Runtime.Threading.SharedAttribute";

    /// <summary>Findings as "file:line: text", in source order.</summary>
    public static List<string> Scan(IEnumerable<(string Path, string Text)> sources, ISet<string> exemptFields)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, path: s.Path)).ToList();
        var compilation = CSharpCompilation.Create("scan", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var findings = new List<string>();
        foreach (SyntaxTree tree in trees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
            {
                if (node is SimpleNameSyntax name && model.GetSymbolInfo(name).Symbol is IFieldSymbol field
                    && IsShared(field) && !ViaAtomic(name, model) && !InOwnConstructor(name, field, model))
                {
                    findings.Add(Where(name) + field.ContainingType.Name + "." + field.Name
                        + " is [Shared] but accessed outside Atomic");
                }
                if (node is InvocationExpressionSyntax call && model.GetSymbolInfo(call).Symbol is IMethodSymbol m
                    && m.ContainingType.ToDisplayString() is "System.Threading.Volatile" or "System.Threading.Interlocked"
                    && !InAtomic(call, model))
                {
                    string target = RefTarget(call, model) ?? "?";
                    if (!exemptFields.Contains(target))
                    {
                        findings.Add(Where(call) + m.ContainingType.Name + "." + m.Name + " on " + target
                            + ": a field used this way is shared; mark it [Shared] and use Atomic");
                    }
                }
            }
        }
        return findings;
    }

    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));

    private static bool IsShared(IFieldSymbol f) =>
        f.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SharedAttribute);

    // The field (x.F or F) is `ref F` passed to Atomic.*.
    private static bool ViaAtomic(SimpleNameSyntax name, SemanticModel model)
    {
        SyntaxNode expr = name.Parent is MemberAccessExpressionSyntax ma && ma.Name == name ? ma : name;
        return expr.Parent is ArgumentSyntax arg && arg.RefKindKeyword.IsKind(SyntaxKind.RefKeyword)
            && arg.Parent?.Parent is InvocationExpressionSyntax call
            && model.GetSymbolInfo(call).Symbol is IMethodSymbol m && m.ContainingType.ToDisplayString() == AtomicType;
    }

    private static bool InOwnConstructor(SyntaxNode node, IFieldSymbol field, SemanticModel model)
    {
        var ctor = node.FirstAncestorOrSelf<ConstructorDeclarationSyntax>();
        return ctor != null && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(ctor)?.ContainingType, field.ContainingType)
            && node.Parent is not MemberAccessExpressionSyntax { Expression: not ThisExpressionSyntax };
    }

    private static bool InAtomic(SyntaxNode node, SemanticModel model)
    {
        var type = node.FirstAncestorOrSelf<ClassDeclarationSyntax>();
        return type != null && model.GetDeclaredSymbol(type)?.ToDisplayString() == AtomicType;
    }

    // "Type.Field" of the call's first ref argument, if it is a field.
    private static string? RefTarget(InvocationExpressionSyntax call, SemanticModel model)
    {
        ArgumentSyntax? arg = call.ArgumentList.Arguments.FirstOrDefault();
        if (arg == null || model.GetSymbolInfo(arg.Expression).Symbol is not IFieldSymbol f)
        {
            return null;
        }
        return f.ContainingType.Name + "." + f.Name;
    }

    private static string Where(SyntaxNode n)
    {
        FileLinePositionSpan span = n.GetLocation().GetLineSpan();
        return span.Path + ":" + (span.StartLinePosition.Line + 1) + ": ";
    }
}
