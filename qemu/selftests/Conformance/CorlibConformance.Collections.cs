// Conformance: Dictionary, HashSet, Queue and List, including growth,
// collisions, removal and re-adding (whose enumeration order .NET makes
// deterministic: freed entries are reused last-freed-first), removal during
// enumeration, and enumeration through the generic interfaces.
using System;
using System.Collections.Generic;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    /// <summary>Every key hashes alike: a dictionary with it is one long chain.</summary>
    private sealed class ConstantHash : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;
        public int GetHashCode(int obj) => 7;
    }

    /// <summary>A key class whose hash collides in fours.</summary>
    private sealed class Clumped
    {
        public readonly int Id;
        public Clumped(int id) { Id = id; }
        public override bool Equals(object? obj) => obj is Clumped c && c.Id == Id;
        public override int GetHashCode() => Id / 4;
    }

    /// <summary>The first few keys in enumeration order, and a fingerprint of all of them.</summary>
    private static string Order(Dictionary<int, int> d, int shown)
    {
        var b = new System.Text.StringBuilder();
        int f = 0, n = 0;
        foreach (KeyValuePair<int, int> pair in d)
        {
            if (n++ < shown) b.Append(pair.Key).Append(',');
            f = Mix(Mix(f, pair.Key), pair.Value);
        }
        return b.Append(" n=").Append(n).Append(" f=").Append(f).ToString();
    }

    private static void Dictionaries(Output o)
    {
        var d = new Dictionary<int, int>();
        for (int i = 0; i < 1000; i++) d.Add(i * 7 % 1009, i);
        o.Line("dict.count", d.Count);
        long sum = 0;
        for (int i = 0; i < 1000; i++) sum += d[i * 7 % 1009];
        o.Line("dict.lookup-sum", sum);
        o.Line("dict.tryadd dup", d.TryAdd(7, -1));
        o.Line("dict.tryadd new", d.TryAdd(1010, -1));
        d[7] = 700;
        o.Line("dict.indexer-set", d[7]);
        o.Line("dict.containskey", d.ContainsKey(14) && !d.ContainsKey(2000));
        o.Line("dict.containsvalue", d.ContainsValue(700) && !d.ContainsValue(-5));
        bool found = d.TryGetValue(2000, out int missing);
        o.Line("dict.trygetvalue missing", string.Concat(found.ToString(), " ", missing.ToString()));
        found = d.TryGetValue(21, out int present);
        o.Line("dict.trygetvalue present", string.Concat(found.ToString(), " ", present.ToString()));
        o.Line("dict.order added", Order(d, 12));
        for (int k = 0; k < 1009; k += 2) d.Remove(k);
        o.Line("dict.count after-remove", d.Count);
        o.Line("dict.remove missing", d.Remove(2));
        bool removed = d.Remove(21, out int removedValue);
        o.Line("dict.remove out", string.Concat(removed.ToString(), " ", removedValue.ToString()));
        o.Line("dict.order removed", Order(d, 12));
        for (int k = 5000; k < 5040; k++) d.Add(k, k);
        o.Line("dict.order readded", Order(d, 30));
        o.Line("dict.count readded", d.Count);
        GrowthWithRemovals(o);
        RemovalDuringEnumeration(o);
        Collisions(o);
        StringKeys(o);
        OtherKeys(o);
        KeysAndValues(o);
    }

    private static void GrowthWithRemovals(Output o)
    {
        var d = new Dictionary<int, int>();
        for (int i = 0; i < 3000; i++)
        {
            d[i] = i * 3;
            if (i % 3 == 0) d.Remove(i / 2);
            if (i % 11 == 0) d.Remove(i - 5);
        }
        o.Line("dict.growth order", Order(d, 20));
        int bad = 0;
        for (int i = 0; i < 3000; i++)
            if (d.TryGetValue(i, out int v) && v != i * 3) bad++;
        o.Line("dict.growth values-wrong", bad);
        d.Clear();
        o.Line("dict.clear count", d.Count);
        o.Line("dict.clear containskey", d.ContainsKey(2999));
        for (int i = 10; i > 0; i--) d.Add(i, -i);
        o.Line("dict.clear reused-order", Order(d, 10));
    }

    private static void RemovalDuringEnumeration(Output o)
    {
        var d = new Dictionary<int, int>();
        for (int i = 0; i < 100; i++) d.Add(i, i);
        foreach (KeyValuePair<int, int> pair in d)
            if (pair.Key % 3 != 0) d.Remove(pair.Key);
        o.Line("dict.remove-during-foreach", Order(d, 10));
    }

    private static void Collisions(Output o)
    {
        var chain = new Dictionary<int, int>(new ConstantHash());
        for (int i = 0; i < 300; i++) chain.Add(i, i * i);
        int hits = 0;
        for (int i = 0; i < 600; i++) if (chain.ContainsKey(i)) hits++;
        for (int i = 0; i < 300; i += 3) chain.Remove(i);
        for (int i = 1000; i < 1010; i++) chain.Add(i, 0);
        o.Line("dict.collide hits", hits);
        o.Line("dict.collide order", Order(chain, 12));
        o.Line("dict.collide lookup", chain[299] + chain[1009]);
        var clumps = new Dictionary<Clumped, int>();
        for (int i = 0; i < 200; i++) clumps.Add(new Clumped(i), i);
        for (int i = 0; i < 200; i += 5) clumps.Remove(new Clumped(i));
        int clumpHits = 0, clumpSum = 0;
        for (int i = 0; i < 200; i++)
            if (clumps.TryGetValue(new Clumped(i), out int v)) { clumpHits++; clumpSum += v; }
        o.Line("dict.clumped", string.Concat(clumpHits.ToString(), " ", clumpSum.ToString(), " ", clumps.Count.ToString()));
        int f = 0;
        foreach (KeyValuePair<Clumped, int> pair in clumps) f = Mix(f, pair.Key.Id);
        o.Line("dict.clumped order", f);
    }

    private static void StringKeys(Output o)
    {
        var d = new Dictionary<string, int>();
        for (int i = 0; i < 500; i++) d.Add(string.Concat("key", i.ToString()), i);
        for (int i = 0; i < 500; i += 4) d.Remove(string.Concat("key", i.ToString()));
        for (int i = 0; i < 20; i++) d[string.Concat("new", i.ToString())] = -i;
        int hits = 0;
        for (int i = 0; i < 500; i++) if (d.ContainsKey(string.Concat("key", i.ToString()))) hits++;
        o.Line("dict.string hits", hits);
        o.Line("dict.string lookup", d["key499"] + d["new19"]);
        var b = new System.Text.StringBuilder();
        int f = 0, n = 0;
        foreach (KeyValuePair<string, int> pair in d)
        {
            if (n++ < 8) b.Append(pair.Key).Append(',');
            f = Mix(f, Fingerprint(pair.Key));
        }
        o.Line("dict.string order", string.Concat(b.ToString(), " f=", f.ToString()));
        var lists = new Dictionary<string, List<int>>();
        for (int i = 0; i < 30; i++)
        {
            string key = (i % 7).ToString();
            if (!lists.TryGetValue(key, out List<int>? list)) { list = new List<int>(); lists.Add(key, list); }
            list.Add(i);
        }
        o.Line("dict.string lists", string.Concat(lists.Count.ToString(), " ", lists["3"].Count.ToString(), " ", lists["6"][3].ToString()));
    }

    private static void OtherKeys(Output o)
    {
        var colors = new Dictionary<Color, string>();
        colors[Color.Blue] = "blue";
        colors[Color.Red] = "red";
        colors[Color.Green] = "green";
        colors[Color.Red] = "RED";
        o.Line("dict.enum", string.Concat(colors[Color.Red], " ", colors.Count.ToString(), " ", colors.ContainsKey((Color)99).ToString()));
        var longs = new Dictionary<long, int>();
        for (long k = 1; k < (1L << 60); k *= 3) longs.Add(k, (int)(k % 1000));
        o.Line("dict.long", string.Concat(longs.Count.ToString(), " ", longs[59049].ToString()));
        var plains = new Dictionary<Plain, int>();
        for (int i = 0; i < 50; i++) plains.Add(new Plain { A = i, B = -i }, i);
        o.Line("dict.struct-key", string.Concat(plains.Count.ToString(), " ", plains[new Plain { A = 9, B = -9 }].ToString(), " ", plains.ContainsKey(new Plain { A = 9, B = 9 }).ToString()));
        var tagged = new Dictionary<Tagged, int>();
        tagged.Add(new Tagged { Tag = "a", N = 1 }, 1);
        tagged.Add(new Tagged { Tag = "b", N = 1 }, 2);
        o.Line("dict.struct-ref-key", string.Concat(tagged[new Tagged { Tag = new string('b', 1), N = 1 }].ToString(), " ", tagged.ContainsKey(new Tagged { Tag = "a", N = 2 }).ToString()));
        var pairs = new Dictionary<Pair, int>();
        pairs.Add(new Pair(1, 2), 12);
        o.Line("dict.iequatable-key", pairs.TryAdd(new Pair(1, 2), 0));
        var points = new Dictionary<Point, int>();
        points.Add(new Point(3, 4), 34);
        o.Line("dict.class-key", points[new Point(3, 4)]);
        var things = new Dictionary<Thing, int>();
        var t = new Thing();
        things.Add(t, 1);
        o.Line("dict.identity-key", string.Concat(things.ContainsKey(t).ToString(), " ", things.ContainsKey(new Thing()).ToString()));
    }

    private static void KeysAndValues(Output o)
    {
        var d = new Dictionary<int, int>();
        for (int i = 0; i < 40; i++) d.Add(i * 5 % 41, i);
        d.Remove(5);
        d.Remove(10);
        d.Add(100, 100);
        int kf = 0, vf = 0;
        foreach (int k in d.Keys) kf = Mix(kf, k);
        foreach (int v in d.Values) vf = Mix(vf, v);
        o.Line("dict.keys", string.Concat(d.Keys.Count.ToString(), " ", kf.ToString()));
        o.Line("dict.values", string.Concat(d.Values.Count.ToString(), " ", vf.ToString()));
        int pf = 0;
        foreach (var (k, v) in d) pf = Mix(Mix(pf, k), v);
        o.Line("dict.deconstruct", pf);
        IEnumerable<KeyValuePair<int, int>> pairs = d;
        int sf = 0;
        foreach (KeyValuePair<int, int> pair in pairs) sf = Mix(Mix(sf, pair.Key), pair.Value);
        o.Check("dict.interface-order", sf == pf);
        IEnumerable<int> keys = d.Keys;
        int ikf = 0;
        foreach (int k in keys) ikf = Mix(ikf, k);
        o.Check("dict.keys-interface", ikf == kf);
        var strings = new Dictionary<string, string>();
        strings.Add("x", "1");
        strings.Add("y", "2");
        IEnumerable<KeyValuePair<string, string>> stringPairs = strings;
        var b = new System.Text.StringBuilder();
        foreach (KeyValuePair<string, string> pair in stringPairs) b.Append(pair.Key).Append('=').Append(pair.Value).Append(';');
        o.Line("dict.interface-strings", b.ToString());
    }

    private static void HashSets(Output o)
    {
        var set = new HashSet<int>();
        int added = 0;
        for (int i = 0; i < 2000; i++) if (set.Add(i * 13 % 1500)) added++;
        o.Line("set.added", added);
        o.Line("set.count", set.Count);
        o.Line("set.add dup", set.Add(13));
        o.Line("set.contains", set.Contains(1499) && !set.Contains(1500));
        for (int i = 0; i < 1500; i += 3) set.Remove(i);
        o.Line("set.remove missing", set.Remove(0));
        o.Line("set.count after-remove", set.Count);
        for (int i = 9000; i < 9010; i++) set.Add(i);
        var b = new System.Text.StringBuilder();
        int f = 0, n = 0;
        foreach (int v in set)
        {
            if (n++ < 16) b.Append(v).Append(',');
            f = Mix(f, v);
        }
        o.Line("set.order", string.Concat(b.ToString(), " n=", n.ToString(), " f=", f.ToString()));
        IEnumerable<int> items = set;
        int g = 0;
        foreach (int v in items) g = Mix(g, v);
        o.Check("set.interface-order", g == f);
        set.Clear();
        o.Line("set.clear", string.Concat(set.Count.ToString(), " ", set.Contains(9001).ToString()));
        var names = new HashSet<string?>();
        o.Line("set.string", string.Concat(names.Add("a").ToString(), names.Add(new string('a', 1)).ToString(), names.Add(null).ToString(), names.Contains(null).ToString()));
        o.Line("set.string count", names.Count);
        var clumps = new HashSet<Clumped>();
        for (int i = 0; i < 64; i++) clumps.Add(new Clumped(i % 40));
        o.Line("set.clumped", string.Concat(clumps.Count.ToString(), " ", clumps.Remove(new Clumped(39)).ToString(), " ", clumps.Contains(new Clumped(38)).ToString()));
    }

    private static string Contents(Queue<int> q)
    {
        var b = new System.Text.StringBuilder();
        foreach (int v in q) b.Append(v).Append(',');
        return b.ToString();
    }

    private static void Queues(Output o)
    {
        var q = new Queue<int>();
        for (int i = 1; i <= 10; i++) q.Enqueue(i);
        o.Line("queue.dequeue", string.Concat(q.Dequeue().ToString(), q.Dequeue().ToString(), q.Dequeue().ToString()));
        for (int i = 11; i <= 30; i++) q.Enqueue(i);
        o.Line("queue.wrapped", Contents(q));
        o.Line("queue.count", q.Count);
        o.Line("queue.peek", q.Peek());
        o.Line("queue.contains", q.Contains(30) && !q.Contains(3));
        int[] array = q.ToArray();
        o.Line("queue.toarray", string.Concat(array.Length.ToString(), " ", array[0].ToString(), " ", array[array.Length - 1].ToString()));
        while (q.TryDequeue(out int _)) { }
        o.Line("queue.trydequeue empty", string.Concat(q.TryDequeue(out int none).ToString(), " ", none.ToString()));
        o.Line("queue.trypeek empty", q.TryPeek(out _));
        var ring = new Queue<int>(5);
        long total = 0;
        int next = 0;
        for (int round = 0; round < 2000; round++)
        {
            for (int i = 0; i < round % 7; i++) ring.Enqueue(next++);
            for (int i = 0; i < round % 5 && ring.Count > 0; i++) total = total * 3 + ring.Dequeue();
            total %= 1000000007;
        }
        o.Line("queue.churn", string.Concat(ring.Count.ToString(), " ", total.ToString()));
        o.Line("queue.churn peek", ring.TryPeek(out int head) ? head : -1);
        IEnumerable<int> items = ring;
        int f = 0;
        foreach (int v in items) f = Mix(f, v);
        int g = 0;
        foreach (int v in ring) g = Mix(g, v);
        o.Check("queue.interface-order", f == g);
        ring.Clear();
        ring.Enqueue(5);
        o.Line("queue.clear", string.Concat(ring.Count.ToString(), " ", ring.Peek().ToString()));
        var words = new Queue<string>();
        words.Enqueue("a");
        words.Enqueue("b");
        words.Dequeue();
        words.Enqueue("c");
        o.Line("queue.strings", string.Concat(words.Dequeue(), words.Dequeue(), words.Count.ToString()));
    }

    private static void Lists(Output o)
    {
        var list = new List<int>();
        var capacities = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            list.Add(i * i % 17);
            if (i == 0 || i == 4 || i == 8 || i == 16 || i == 39) capacities.Append(list.Capacity).Append(',');
        }
        o.Line("list.capacity", capacities.ToString());
        int sum = 0;
        foreach (int v in list) sum += v;
        o.Line("list.foreach-sum", sum);
        o.Line("list.contains", list.Contains(16) && !list.Contains(17));
        o.Line("list.indexof", string.Concat(list.IndexOf(16).ToString(), " ", list.IndexOf(99).ToString()));
        o.Line("list.remove", string.Concat(list.Remove(16).ToString(), " ", list.IndexOf(16).ToString(), " ", list.Count.ToString()));
        o.Line("list.remove missing", list.Remove(99));
        list.Insert(0, -1);
        list.Insert(list.Count, -2);
        list.RemoveAt(5);
        int[] array = list.ToArray();
        int f = 0;
        foreach (int v in array) f = Mix(f, v);
        o.Line("list.toarray", string.Concat(array.Length.ToString(), " ", f.ToString()));
        IEnumerable<int> items = list;
        int g = 0;
        foreach (int v in items) g = Mix(g, v);
        o.Check("list.interface-order", g == f);
        var words = new List<string> { "alpha", "beta", "gamma" };
        o.Line("list.string contains-copy", words.Contains(new string(new char[] { 'b', 'e', 't', 'a' })));
        o.Line("list.string indexof", words.IndexOf(string.Concat("gam", "ma")));
        var b = new System.Text.StringBuilder();
        foreach (string w in words) b.Append(w).Append(' ');
        o.Line("list.string foreach", b.ToString());
        words.Clear();
        o.Line("list.clear", string.Concat(words.Count.ToString(), " ", words.ToArray().Length.ToString()));
        var plains = new List<Plain>();
        for (int i = 0; i < 5; i++) plains.Add(new Plain { A = i, B = i * 2 });
        o.Line("list.struct indexof", plains.IndexOf(new Plain { A = 3, B = 6 }));
        var things = new List<Thing>();
        var t = new Thing();
        things.Add(new Thing());
        things.Add(t);
        o.Line("list.identity indexof", string.Concat(things.IndexOf(t).ToString(), " ", things.Contains(new Thing()).ToString()));
    }
}
