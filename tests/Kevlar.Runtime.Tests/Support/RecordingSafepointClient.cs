// RecordingSafepointClient: checks, at Collect, that every CPU parked in this
// round, and counts collections.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class RecordingSafepointClient : ISafepointClient
{
    private readonly bool[] _parked;

    public RecordingSafepointClient(int cpus) => _parked = new bool[cpus];

    public int Collections { get; private set; }

    public int BadCollections { get; private set; }

    public List<int> ParkOrder { get; } = new();

    public void OnParking(int cpu)
    {
        _parked[cpu] = true;
        lock (ParkOrder)
        {
            ParkOrder.Add(cpu);
        }
    }

    public void Collect()
    {
        Collections++;
        for (int c = 0; c < _parked.Length; c++)
        {
            if (!_parked[c])
            {
                BadCollections++;
            }
            _parked[c] = false;
        }
    }

    // No collector work between pauses here.
    public bool Background(int cpu) => false;
}
