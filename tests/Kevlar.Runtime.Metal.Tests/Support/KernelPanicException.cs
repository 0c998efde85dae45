// What FailFastExports.Fail throws on the host.
using System;

namespace Kevlar.Runtime.Metal.Tests.Support;

public sealed class KernelPanicException(string reason) : Exception("kernel panic: " + reason)
{
    public string Reason { get; } = reason;
}
