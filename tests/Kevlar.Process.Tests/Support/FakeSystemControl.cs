// FakeSystemControl: the host twin of the machine's power switch; records each
// status PowerOff reports (on metal the first one ends the run).
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeSystemControl : ISystemControl
{
    public List<int> Statuses { get; } = new();

    public void PowerOff(int exitStatus) => Statuses.Add(exitStatus);
}
