using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// Matches every delivery a watcher receives to the scheduled send it carries and keeps the run's tallies: per-recipient
/// latency, fan-out completion (the last watcher's arrival), duplicates and what is still outstanding. Called from
/// every watcher's receive callback at once, so it is lock-free apart from each watcher's own seq set (kept by <see cref="Watcher"/>).
/// </summary>
public sealed class DeliveryRecorder
{
    private readonly Func<ThreadEventDto, int> _indexOf;
    private readonly Func<int, bool> _isMeasured;
    private readonly Func<int, int> _recipientsOf;
    private readonly long[] _intended;
    private readonly int[] _received;
    private readonly long[] _lastArrival;
    private readonly bool[] _posted;
    private long _deliveries;
    private long _duplicates;
    private long _foreign;
    private long _lastDelivery;

    /// <summary>The fanout recorder: every send is a reply carrying <paramref name="marker"/>, and every one is measured.</summary>
    public DeliveryRecorder(ReplyMarker marker, long[] intendedTimestamps, int recipients)
        : this(threadEvent => ReplySends.Match(marker, threadEvent), intendedTimestamps, recipients, _ => true)
    {
    }

    /// <summary>
    /// A recorder for any schedule: <paramref name="indexOf"/> says which send an event answers (-1 for none), and
    /// <paramref name="isMeasured"/> which sends are expected at every watcher (the others are neither timed nor owed).
    /// </summary>
    public DeliveryRecorder(Func<ThreadEventDto, int> indexOf, long[] intendedTimestamps, int recipients, Func<int, bool> isMeasured)
        : this(indexOf, intendedTimestamps, recipients, isMeasured, _ => recipients)
    {
    }

    /// <summary>
    /// A recorder for sends spread over several threads: <paramref name="recipientsOf"/> says how many watchers are owed
    /// send i (those of its thread); <paramref name="recipients"/> is every watcher of the run.
    /// </summary>
    public DeliveryRecorder(
        Func<ThreadEventDto, int> indexOf, long[] intendedTimestamps, int recipients, Func<int, bool> isMeasured, Func<int, int> recipientsOf)
    {
        _recipientsOf = recipientsOf;
        _indexOf = indexOf;
        _isMeasured = isMeasured;
        _intended = intendedTimestamps;
        _received = new int[intendedTimestamps.Length];
        _lastArrival = new long[intendedTimestamps.Length];
        _posted = new bool[intendedTimestamps.Length];
        Recipients = recipients;
    }

    /// <summary>Every watcher of the run that was watching when posting began (on one thread: each reply's recipients).</summary>
    public int Recipients { get; }

    public LatencyHistogram PerRecipient { get; } = new();

    public LatencyHistogram FanoutCompletion { get; } = new();

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Events that answered no measured send of this schedule (other traffic on the server); not counted anywhere else.</summary>
    public long Foreign => Interlocked.Read(ref _foreign);

    /// <summary>Stopwatch timestamp of the latest delivery so far, 0 before the first.</summary>
    public long LastDeliveryTimestamp => Interlocked.Read(ref _lastDelivery);

    /// <summary>One event at one watcher; <paramref name="isNewSeq"/> is false when that watcher had seen its seq before.</summary>
    public void OnEvent(ThreadEventDto threadEvent, bool isNewSeq, long arrival)
    {
        if (!isNewSeq)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        OnDelivery(_indexOf(threadEvent), arrival);
    }

    /// <summary>
    /// Send <paramref name="index"/> reached one more recipient, seen by it for the first time (a recipient that matches
    /// sends itself, such as a circuit reading its render batches, calls this directly); -1 for none of ours.
    /// </summary>
    public void OnDelivery(int index, long arrival)
    {
        if (index < 0 || index >= _intended.Length || !_isMeasured(index))
        {
            Interlocked.Increment(ref _foreign);
            return;
        }

        Interlocked.Increment(ref _deliveries);
        PerRecipient.RecordElapsed(_intended[index], arrival);
        RaiseTo(ref _lastDelivery, arrival);

        // Raise the maximum before counting: whichever callback counts the last recipient then reads a final maximum.
        RaiseTo(ref _lastArrival[index], arrival);
        if (Interlocked.Increment(ref _received[index]) == _recipientsOf(index))
        {
            FanoutCompletion.RecordElapsed(_intended[index], Interlocked.Read(ref _lastArrival[index]));
        }
    }

    /// <summary>The server accepted send <paramref name="index"/>; only accepted measured sends can be missed.</summary>
    public void MarkPosted(int index)
    {
        if (_isMeasured(index))
        {
            Volatile.Write(ref _posted[index], true);
        }
    }

    public bool IsMeasured(int index) => _isMeasured(index);

    /// <summary>How many sends of the schedule are measured.</summary>
    public int MeasuredCount => Enumerable.Range(0, _intended.Length).Count(_isMeasured);

    public int PostedCount => _posted.Count(p => p);

    /// <summary>Deliveries that accepted sends still owe: a watcher that never got one by now missed it.</summary>
    public long Outstanding() => ShortSends().Sum(send => (long)(send.Owed - send.Reached));

    /// <summary>Accepted sends that some watcher has not received: index, watchers reached, watchers owed.</summary>
    public IEnumerable<(int Index, int Reached, int Owed)> ShortSends()
    {
        for (var i = 0; i < _posted.Length; i++)
        {
            var reached = Volatile.Read(ref _received[i]);
            if (Volatile.Read(ref _posted[i]) && reached < _recipientsOf(i))
            {
                yield return (i, reached, _recipientsOf(i));
            }
        }
    }

    /// <summary>Deliveries the accepted sends owe in all.</summary>
    public long ExpectedDeliveries()
    {
        long expected = 0;
        for (var i = 0; i < _posted.Length; i++)
        {
            if (Volatile.Read(ref _posted[i]))
            {
                expected += _recipientsOf(i);
            }
        }

        return expected;
    }

    public long IntendedTimestamp(int index) => _intended[index];

    private static void RaiseTo(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
