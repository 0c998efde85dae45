// The tests drive Linux tools (cpio, ln) and Unix file modes: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
