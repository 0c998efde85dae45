// Program: process entry of the panic decoder; see DecodeCommand.
using System;

namespace Kevlar.Decode;

internal static class Program
{
    private static int Main(string[] args) => DecodeCommand.Run(args, Console.Out, Console.Error);
}
