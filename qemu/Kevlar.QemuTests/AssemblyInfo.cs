// One QEMU at a time: the machine has two cores and each boot uses them all.
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
