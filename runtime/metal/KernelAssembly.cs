// The image is three assemblies (qemu/image): this one — corlib, runtime,
// drivers, the only place unsafe code is allowed — then the actors and the
// image's start-up, compiled without unsafe. Actors override Actor.Receive,
// which is `protected internal`, so they need to see this assembly's
// internals, as they do on the host (runtime/Kevlar.Runtime's project).
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Kevlar.Process")]
[assembly: InternalsVisibleTo("Kevlar.Image")]
