// ./kevlar profile's host side (qemu/profile.sh starts QEMU, then this):
//   Kevlar.Profile --monitor SOCKET --kernel ELF [--program ELF]... [--hz N] [--out FILE] [--top N]
// Samples until QEMU exits, then prints the functions where the samples fell
// (share of the CPUs' non-idle samples, by leaf function and by inclusive
// time) and writes the folded stacks (one "frames count" line each, the input
// of flame-graph tools) to FILE.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Kevlar.Profile;

string? monitorPath = null, kernel = null, outFile = null;
var programs = new List<string>();
int hz = 200, top = 25;
for (int i = 0; i < args.Length; i++)
{
    string value = i + 1 < args.Length ? args[i + 1] : "";
    switch (args[i])
    {
        case "--monitor": monitorPath = value; i++; break;
        case "--kernel": kernel = value; i++; break;
        case "--program": programs.Add(value); i++; break;
        case "--hz": hz = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--out": outFile = value; i++; break;
        case "--top": top = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        default: Console.Error.WriteLine($"Kevlar.Profile: unknown option {args[i]}"); return 2;
    }
}
if (monitorPath == null || kernel == null)
{
    Console.Error.WriteLine("usage: Kevlar.Profile --monitor SOCKET --kernel ELF [--program ELF]... [--hz N] [--out FILE] [--top N]");
    return 2;
}

// A monitor reached while QEMU is still starting may close before its first answer: connect
// again until one has answered, for as long as the socket keeps appearing.
var sampler = new Sampler(new Symbols(kernel, programs), hz);
for (int tries = 0; sampler.Samples == 0 && tries < 50; tries++)
{
    using MonitorClient? monitor = MonitorClient.Connect(monitorPath, TimeSpan.FromSeconds(tries == 0 ? 60 : 2));
    if (monitor == null) break;
    sampler.Run(monitor);
    if (sampler.Samples == 0) System.Threading.Thread.Sleep(100);
}
if (sampler.Samples == 0)
{
    Console.Error.WriteLine($"Kevlar.Profile: no sample through the QEMU monitor at {monitorPath}");
    return 1;
}
Console.Out.Write(ProfileReport.Text(sampler, top));
if (outFile != null)
{
    File.WriteAllLines(outFile, sampler.Stacks.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));
    Console.Out.WriteLine($"folded stacks: {outFile}");
}
return 0;
