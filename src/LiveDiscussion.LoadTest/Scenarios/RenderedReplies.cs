using System.Text;
using LiveDiscussion.LoadTest.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// One schedule's replies as circuits render them: the first render batch of a circuit that shows reply i is that
/// reply's delivery to it, recorded in <paramref name="recorder"/>. A later batch showing the same reply again (a
/// re-render of the list) is neither a delivery nor a duplicate: it is how Blazor pages work.
/// </summary>
public sealed class RenderedReplies(ReplyMarker marker, DeliveryRecorder recorder, int circuits, int sends) : ICircuitRenders
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(marker.Prefix);
    private readonly bool[] _seen = new bool[checked(circuits * sends)];

    public ReadOnlySpan<byte> Prefix => _prefix;

    public void OnRendered(int circuit, int index, long arrival)
    {
        // Each circuit reports from its own socket's read, one batch at a time, so its cells are never written at once.
        if (circuit < 0 || circuit >= circuits || index < 0 || index >= sends || _seen[circuit * sends + index])
        {
            return;
        }

        _seen[circuit * sends + index] = true;
        recorder.OnDelivery(index, arrival);
    }
}
