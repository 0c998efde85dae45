// Finding PCI functions: a walk from bus 0 that follows PCI-to-PCI bridges
// (class 06, subclass 04; secondary bus number at 0x19), reading each
// device's function 0 and, when its header type has bit 7 set, functions 1-7
// (PCI Local Bus Specification 3.0, §6.1; vendor 0xFFFF: nothing there).
// Boot CPU only (PciConfig).
using System.Collections.Generic;

namespace Kevlar.Drivers.X86_64.Pci;

public static class PciBus
{
    private const int MaxBuses = 256;

    /// <summary>Every function present, in bus/device/function order of discovery.</summary>
    public static List<PciFunction> Enumerate()
    {
        var found = new List<PciFunction>();
        var seen = new bool[MaxBuses];
        Scan(0, found, seen);
        return found;
    }

    private static void Scan(int bus, List<PciFunction> found, bool[] seen)
    {
        if (seen[bus]) return;
        seen[bus] = true;
        for (int device = 0; device < 32; device++)
        {
            if (PciConfig.Read16(bus, device, 0, 0x00) == 0xFFFF) continue;
            int functions = (PciConfig.Read8(bus, device, 0, 0x0E) & 0x80) != 0 ? 8 : 1;
            for (int function = 0; function < functions; function++)
            {
                if (PciConfig.Read16(bus, device, function, 0x00) == 0xFFFF) continue;
                var f = new PciFunction(bus, device, function);
                found.Add(f);
                if (f.Class == 0x06 && f.Subclass == 0x04)
                {
                    int secondary = f.Read8(0x19);
                    if (secondary > bus) Scan(secondary, found, seen);
                }
            }
        }
    }
}
