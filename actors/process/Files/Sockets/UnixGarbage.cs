// UnixGarbage: Linux's unix_gc for this kernel. A descriptor sent with
// SCM_RIGHTS and never received is released when the socket it waits at
// closes (UnixSocket.Close); but an AF_UNIX socket whose own descriptor waits
// in a queue — its own, or that of another socket in the same plight — never
// closes, so what waits with it never would either. Such sockets are found
// as unix_gc finds them: a candidate is a socket whose file's references are
// all in flight (held by queued messages); one whose in-flight references all
// come from candidates' queues is garbage unless a socket that is not garbage
// holds it in its queue, transitively. Each garbage socket's queue is then
// dropped on its own actor, which releases what it held; the sockets close
// as their last references go.
//
// When: whenever a unix socket's file is released down to references that
// are all in flight (OpenFile.OnlyInFlight), the VfsActor — owner of the
// table of live sockets — runs Collect. Why it is safe without a lock: no
// user can reach a garbage socket (no descriptor leads to it), so nothing
// changes its queue once found; what could make the snapshot wrong is a
// receive elsewhere bringing a candidate back to a user between the reads,
// and every change to what queues hold bumps one generation counter, so a
// Collect that saw it change drops nothing and tries again.
//
// State: s_generation, and each OpenFile's InFlight count, by Interlocked
// from any CPU; each socket's list of held files is its actor's, published
// as an array (UnixSocket.HeldFiles) for Collect to read.
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Process.Files.Sockets;

public static class UnixGarbage
{
    private static long s_generation;
    private const int Attempts = 3;

    /// <summary>Files went into a socket's queue with a message.</summary>
    internal static void Entered(OpenFile[] files)
    {
        for (int i = 0; i < files.Length; i++) files[i].EnterFlight();
        Interlocked.Increment(ref s_generation);
    }

    /// <summary>Files left a socket's queue (received, or dropped with their message).</summary>
    internal static void Left(OpenFile[] files)
    {
        Interlocked.Increment(ref s_generation);
        for (int i = 0; i < files.Length; i++) files[i].LeaveFlight();
    }

    /// <summary>A socket's file has only in-flight references left: a collection is due.</summary>
    internal static void Schedule(UnixSocket socket)
    {
        Vfs.VfsActor names = socket.Names;
        names.Post(() => Collect(names, Attempts));
    }

    /// <summary>Finds the garbage sockets among the live ones and has each drop its queue (on the
    /// VfsActor, which owns the table of live sockets).</summary>
    private static long Collect(Vfs.VfsActor names, int attempts)
    {
        long generation = Volatile.Read(ref s_generation);
        var candidates = new List<UnixSocket>();
        var byFile = new Dictionary<OpenFile, UnixSocket>();
        foreach (UnixSocket s in names.UnixNames.Live)
        {
            OpenFile? f = s.File;
            if (f == null) continue;
            int inFlight = f.InFlight;
            if (inFlight > 0 && f.References == inFlight)
            {
                candidates.Add(s);
                byFile[f] = s;
            }
        }
        if (candidates.Count == 0) return 0;
        // References to each candidate from candidates' queues.
        var inner = new Dictionary<UnixSocket, int>();
        for (int i = 0; i < candidates.Count; i++)
        {
            OpenFile[] held = candidates[i].HeldFiles;
            for (int j = 0; j < held.Length; j++)
                if (byFile.TryGetValue(held[j], out UnixSocket? c)) inner[c] = (inner.TryGetValue(c, out int n) ? n : 0) + 1;
        }
        var garbage = new HashSet<UnixSocket>();
        var live = new List<UnixSocket>();
        for (int i = 0; i < candidates.Count; i++)
        {
            UnixSocket c = candidates[i];
            if (inner.TryGetValue(c, out int n) && n == c.File!.References) garbage.Add(c);
            else live.Add(c);
        }
        // What a socket that is not garbage holds is reachable, and so is what that holds.
        while (live.Count > 0 && garbage.Count > 0)
        {
            UnixSocket s = live[live.Count - 1];
            live.RemoveAt(live.Count - 1);
            OpenFile[] held = s.HeldFiles;
            for (int j = 0; j < held.Length; j++)
                if (byFile.TryGetValue(held[j], out UnixSocket? c) && garbage.Remove(c)) live.Add(c);
        }
        if (garbage.Count == 0) return 0;
        if (Volatile.Read(ref s_generation) != generation)
        {
            // A queue changed while this looked: nothing is dropped on a picture that may be wrong.
            if (attempts > 1) names.Post(() => Collect(names, attempts - 1));
            return 0;
        }
        foreach (UnixSocket g in garbage)
        {
            UnixSocket socket = g;
            socket.Post(() =>
            {
                socket.DropQueue();
                return 0;
            });
        }
        return 0;
    }
}
