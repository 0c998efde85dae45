// GcHeap.cs imports both System.Threading (for Volatile) and
// Kevlar.Runtime.Metal.Threading; the kernel corlib has no
// System.Threading.SpinLock but the host does, so name the metal one here.
global using SpinLock = Kevlar.Runtime.Metal.Threading.SpinLock;
