// ISystemControl: ending the machine's run. On metal the status goes to the
// host's control channel (COM2) and QEMU exits; the host twin records it.
namespace Kevlar.Runtime.Devices;

public interface ISystemControl
{
    /// <summary>Reports <paramref name="exitStatus"/> (0–255, or 128+signal) to whoever started
    /// the machine and stops it. Does not return on metal.</summary>
    void PowerOff(int exitStatus);
}
