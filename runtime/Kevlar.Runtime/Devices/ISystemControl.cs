// ISystemControl: ending the machine's run. On metal the status goes to the
// host's control channel (COM2) and QEMU exits at the next safepoint round,
// after a final whole collection (MetalSystemControl); the host twin records it.
namespace Kevlar.Runtime.Devices;

public interface ISystemControl
{
    /// <summary>Reports <paramref name="exitStatus"/> (0–255, or 128+signal) to whoever started
    /// the machine and stops it soon after: it returns, and the caller must not count on running
    /// much longer (reboot(2) waits for the end; an exiting PID 1 has nothing left to run).</summary>
    void PowerOff(int exitStatus);
}
