using System.Text;
using System.Text.Json;
using LiveDiscussion.LoadTest.Client;

namespace LiveDiscussion.LoadTest.Tests;

public sealed class RawClientParsingTests
{
    private static string Event(long seq, string body) =>
        $$"""{"threadId":7,"seq":{{seq}},"type":"reply-posted","at":"2026-11-26T12:00:00+00:00","reply":{"id":{{100 + seq}},"threadId":7,"author":{"name":"Julia","userId":null},"body":"{{body}}","bodyHtml":"<p>{{body}}</p>","state":"Visible"},"reason":null,"actor":null}""";

    [Fact]
    public void An_event_seen_before_is_shared_and_the_reader_lands_after_it_so_the_next_one_is_read_whole()
    {
        var events = new RawJsonWatchConnection.LiveEvents();
        var first = Encoding.UTF8.GetBytes(Event(1, "Load test abc reply #0"));
        var live = new Utf8JsonReader(first);
        live.Read();
        var seenLive = events.Read(ref live);

        var catchUp = Encoding.UTF8.GetBytes($"[{Event(1, "Load test abc reply #0")},{Event(2, "Load test abc reply #1")}]");
        var reader = new Utf8JsonReader(catchUp);
        reader.Read();
        var read = new List<LiveDiscussion.Contracts.ThreadEventDto>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            read.Add(events.Read(ref reader, toEnd: true));
        }

        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.Same(seenLive, read[0]);
        Assert.Equal([1L, 2], read.Select(e => e.Seq));
        Assert.Equal("Load test abc reply #1", read[1].Reply!.Body);
        Assert.Equal(101 + 1, read[1].Reply!.Id);
    }
}
