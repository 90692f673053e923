using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LiveDiscussion.LoadTest.Client;
using MessagePack;

namespace LiveDiscussion.LoadTest.Tests;

public sealed class CircuitClientTests
{
    private const string Page = """
        <!DOCTYPE html><html><head><title>t</title>
        <!--Blazor:{"type":"server","prerenderId":"aa","key":{"locationHash":"77D1:26","formattedComponentKey":""},"sequence":0,"descriptor":"CfDJ8a\u002Bb"}--><title>Thread</title><!--Blazor:{"prerenderId":"aa"}-->
        </head><body>
        <!-- an ordinary comment -->
        <!--Blazor:{"type":"webassembly","prerenderId":"bb","assembly":"X","typeName":"Y","parameterDefinitions":"","parameterValues":""}--><div></div><!--Blazor:{"prerenderId":"bb"}-->
        <!--Blazor:{"type":"server","prerenderId":"cc","key":{"locationHash":"4DF7:29","formattedComponentKey":""},"sequence":1,"descriptor":"CfDJ8c/d"}--><main>Load test abc reply #3</main><!--Blazor:{"prerenderId":"cc"}-->
        <!--Blazor-Server-Component-State:CfDJ8G9t+kuO6/bykp==-->
        </body></html>
        """;

    [Fact]
    public void The_prerendered_page_gives_its_server_components_in_order_and_its_persisted_state()
    {
        var page = PrerenderedPage.Parse(Page);

        Assert.Equal(2, page.ServerMarkers.Count);
        Assert.Equal("aa", JsonDocument.Parse(page.ServerMarkers[0]).RootElement.GetProperty("prerenderId").GetString());
        Assert.Equal("CfDJ8c/d", JsonDocument.Parse(page.ServerMarkers[1]).RootElement.GetProperty("descriptor").GetString());
        Assert.Equal("CfDJ8G9t+kuO6/bykp==", page.ServerState);
    }

    [Fact]
    public void The_first_update_adds_every_server_component_with_its_marker_exactly_as_the_server_wrote_it()
    {
        var page = PrerenderedPage.Parse(Page);

        using var operations = JsonDocument.Parse(page.AddOperationsJson());
        var root = operations.RootElement;
        Assert.Equal(1, root.GetProperty("batchId").GetInt32());
        var added = root.GetProperty("operations").EnumerateArray().ToArray();
        Assert.Equal(2, added.Length);
        Assert.All(added, operation => Assert.Equal("add", operation.GetProperty("type").GetString()));
        Assert.Equal([1, 2], added.Select(operation => operation.GetProperty("ssrComponentId").GetInt32()));
        Assert.Equal("CfDJ8a+b", added[0].GetProperty("marker").GetProperty("descriptor").GetString());
        Assert.Equal(1, added[1].GetProperty("marker").GetProperty("sequence").GetInt32());
    }

    [Fact]
    public void A_page_without_interactive_components_has_no_markers_and_no_state()
    {
        var page = PrerenderedPage.Parse("<html><body><!--Blazor:{\"prerenderId\":\"x\"}--><p>static</p></body></html>");

        Assert.Empty(page.ServerMarkers);
        Assert.Null(page.ServerState);
    }

    [Fact]
    public void The_batch_scan_reads_each_numbered_text_from_the_string_table_and_only_whole_numbers()
    {
        // "#1" must not be read out of "#17"; a string that ends right after its digits is followed by the next string's
        // length byte, here 0x33 ('3'), which must not be read as a digit; null entries and other strings are skipped.
        var batch = RenderBatch(
            "<p>Load test abc reply #17</p>\n",
            null,
            "Load test abc reply #4",
            new string('x', 0x33),
            "Load test abd reply #9",
            "<span>Load test abc reply #2 and Load test abc reply #5</span>",
            "Load test abc reply #");
        var found = new List<int>();

        RenderBatchText.FindNumbered(batch, "Load test abc reply #"u8, found);

        Assert.Equal([17, 4, 2, 5], found);
    }

    [Fact]
    public void A_batch_whose_string_table_does_not_fit_is_refused_not_misread()
    {
        var batch = RenderBatch("Load test abc reply #1");
        BinaryPrimitives.WriteInt32LittleEndian(batch.AsSpan(batch.Length - 4), batch.Length);

        Assert.Throws<InvalidDataException>(() => RenderBatchText.FindNumbered(batch, "Load test abc reply #"u8, []));
    }

    [Fact]
    public void An_invocation_is_framed_by_its_length_and_reads_back_as_sent()
    {
        var longArgument = new string('s', 300);
        var framed = BlazorPack.Invoke("0", "StartCircuit", "http://127.0.0.1/", longArgument, null, 42L, true);

        Assert.True(BlazorPack.TryFrame(framed, out var start, out var length));
        Assert.Equal(framed.Length, start + length);
        Assert.Equal(2, start);
        Assert.False(BlazorPack.TryFrame(framed.AsSpan(0, framed.Length - 1), out _, out _));

        var reader = new MessagePackReader(framed.AsMemory(start, length));
        Assert.Equal(BlazorPack.Invocation, BlazorPack.ReadType(ref reader));
        var (invocationId, target, arguments) = BlazorPack.ReadInvocation(ref reader);
        Assert.Equal(("0", "StartCircuit", 5), (invocationId, target, arguments));
        Assert.Equal("http://127.0.0.1/", reader.ReadString());
        Assert.Equal(longArgument, reader.ReadString());
        Assert.True(reader.TryReadNil());
        Assert.Equal(42L, reader.ReadInt64());
        Assert.True(reader.ReadBoolean());
    }

    /// <summary>A render batch with no frames: the strings, their table, and the five-int32 trailer naming the table.</summary>
    private static byte[] RenderBatch(params string?[] strings)
    {
        var bytes = new List<byte> { 0, 0, 0, 0 };
        var offsets = new List<int>();
        foreach (var text in strings)
        {
            if (text is null)
            {
                offsets.Add(-1);
                continue;
            }

            offsets.Add(bytes.Count);
            var utf8 = Encoding.UTF8.GetBytes(text);
            for (var length = (uint)utf8.Length; ; length >>= 7)
            {
                bytes.Add(length >= 0x80 ? (byte)(length & 0x7f | 0x80) : (byte)length);
                if (length < 0x80)
                {
                    break;
                }
            }

            bytes.AddRange(utf8);
        }

        var tableStart = bytes.Count;
        var batch = new byte[tableStart + offsets.Count * 4 + 20];
        bytes.CopyTo(batch);
        for (var i = 0; i < offsets.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(batch.AsSpan(tableStart + i * 4), offsets[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(batch.AsSpan(batch.Length - 4), tableStart);
        return batch;
    }
}
