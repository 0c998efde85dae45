// PollBuffers: the arrays poll(2), ppoll(2), select(2) and pselect6(2) work in —
// the files asked, the events asked and found, and poll's pollfd bytes — kept
// by the thread between calls, so a poll allocates nothing once they are big
// enough (an event loop polls once per turn).
//
// State: only the owning thread's system call touches them, and a thread runs
// one call at a time. Buffers grown past KeptEntries are not kept, and the
// entries used are cleared at the end of each call (Return), so the buffers
// hold no description between calls and the next call finds them clear.
namespace Kevlar.Process.Files;

public sealed class PollBuffers
{
    private const int KeptEntries = 1024;

    /// <summary>One descriptor asked about. (A struct, so storing a file is a plain store: an
    /// OpenFile[] element store would check the array's element type every time.)</summary>
    public struct Entry
    {
        public OpenFile? File;
        public int Events;
        public int Revents;
    }

    public Entry[] Entries = new Entry[16];
    public byte[] Raw = new byte[16 * 8];

    /// <summary>The thread's buffers (leaving it none until <see cref="Return"/>), or new ones,
    /// with room for <paramref name="entries"/>, all of them clear (Return leaves them so).</summary>
    public static PollBuffers Take(UserThread t, int entries)
    {
        PollBuffers b = t.PollBuffers ?? new PollBuffers();
        t.PollBuffers = null;
        if (b.Entries.Length < entries)
        {
            int size = System.Math.Max(entries, 2 * b.Entries.Length);
            b.Entries = new Entry[size];
            b.Raw = new byte[size * 8];
        }
        return b;
    }

    /// <summary>Clears the <paramref name="entries"/> used (letting their files go) and gives the
    /// buffers back to the thread.</summary>
    public void Return(UserThread t, int entries)
    {
        System.Array.Clear(Entries, 0, entries);
        if (Entries.Length <= KeptEntries) t.PollBuffers = this;
    }
}
