// The runtime's hooks (Kassert handler, InterleaveHook, SeededBugs) are
// process-wide statics: run test classes one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
