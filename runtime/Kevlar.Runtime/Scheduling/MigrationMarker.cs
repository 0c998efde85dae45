// MigrationMarker: the runtime's own message that walks an actor migration
// through its stages (see Scheduler.Migration.cs). Never delivered to an actor.
namespace Kevlar.Runtime.Scheduling;

internal sealed class MigrationMarker : Message
{
    internal const int AwaitGrace = 0; // at the old home: wait out in-flight senders
    internal const int Drain = 1;      // at the old home: everything stale is ahead of this
    internal const int Handover = 2;   // at the new home: release held messages

    internal readonly Actor Subject;
    internal readonly int OldCpu;
    internal readonly int NewCpu;
    internal readonly int[] SendSeqSnapshot;
    internal int Stage;

    internal MigrationMarker(Actor subject, int oldCpu, int newCpu, int[] snapshot)
    {
        Subject = subject;
        OldCpu = oldCpu;
        NewCpu = newCpu;
        SendSeqSnapshot = snapshot;
        Stage = AwaitGrace;
    }
}
