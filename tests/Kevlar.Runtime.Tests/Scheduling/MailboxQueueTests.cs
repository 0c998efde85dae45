// Unit tests of the lock-free MPSC mailbox, single-threaded and with real
// producer threads.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class MailboxQueueTests
{
    public MailboxQueueTests() => KassertFailure.Install();

    [Fact]
    public void TryDequeue_EmptyQueue_ReturnsNull()
    {
        var q = new MailboxQueue();
        Assert.True(q.IsEmpty);
        Assert.Null(q.TryDequeue());
        Assert.True(q.IsEmpty);
    }

    [Fact]
    public void TryDequeue_AfterEnqueues_ReturnsInFifoOrder()
    {
        var q = new MailboxQueue();
        var msgs = new SeqMessage[10];
        for (int i = 0; i < msgs.Length; i++)
        {
            msgs[i] = new SeqMessage(0, i);
            q.Enqueue(msgs[i]);
        }
        Assert.False(q.IsEmpty);
        for (int i = 0; i < msgs.Length; i++)
        {
            Assert.Same(msgs[i], q.TryDequeue());
        }
        Assert.Null(q.TryDequeue());
        Assert.True(q.IsEmpty);
    }

    [Fact]
    public void Enqueue_InterleavedWithDequeue_KeepsOrderAndReusesNodes()
    {
        var q = new MailboxQueue();
        var a = new SeqMessage(0, 0);
        var b = new SeqMessage(0, 1);
        for (int round = 0; round < 5; round++)
        {
            q.Enqueue(a);
            Assert.Same(a, q.TryDequeue());
            Assert.True(q.IsEmpty);
            q.Enqueue(a);
            q.Enqueue(b);
            Assert.Same(a, q.TryDequeue());
            Assert.False(q.IsEmpty);
            Assert.Same(b, q.TryDequeue());
            Assert.True(q.IsEmpty);
        }
    }

    [Fact]
    public void Enqueue_FourProducerThreads_DeliversAllInPerProducerOrder()
    {
        const int producers = 4;
        const int perProducer = 20_000;
        var q = new MailboxQueue();
        var threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            int id = p;
            threads[p] = new Thread(() =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    q.Enqueue(new SeqMessage(id, i));
                }
            });
            threads[p].Start();
        }
        var next = new int[producers];
        int total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (total < producers * perProducer && DateTime.UtcNow < deadline)
        {
            var m = (SeqMessage?)q.TryDequeue();
            if (m == null)
            {
                Thread.SpinWait(10);
                continue;
            }
            Assert.Equal(next[m.Sender], m.Seq);
            next[m.Sender]++;
            total++;
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        Assert.Equal(producers * perProducer, total);
        Assert.Null(q.TryDequeue());
        Assert.True(q.IsEmpty);
    }
}
