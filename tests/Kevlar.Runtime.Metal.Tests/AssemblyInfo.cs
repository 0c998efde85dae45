// GcHeap and EarlyArena are static: tests share them, so they run one at a time.
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
