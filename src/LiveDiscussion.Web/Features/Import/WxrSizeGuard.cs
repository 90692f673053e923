using System.Text;
using System.Xml.Linq;

namespace LiveDiscussion.Web.Features.Import;

/// <summary>
/// Keeps a single huge text (a 40 MB comment) out of memory. An <see cref="System.Xml.XmlReader"/> hands over a text or
/// CDATA node only whole, so the size has to be known before the reader gets there: <see cref="FindOversized"/> walks
/// the raw bytes once, with just enough XML sense (tags, CDATA, comments, declarations, quoted attributes) to measure
/// what each element without child elements holds, and <see cref="Open"/> then gives the reader the file with each
/// oversized text replaced by a small <see cref="Marker"/> element that says how big it was.
/// </summary>
/// <remarks>
/// Byte positions need an encoding where '&lt;' and '&gt;' are single bytes: UTF-8 (what WordPress writes) and the
/// single-byte charsets. A UTF-16 file is passed through untouched, and the importer's check of each text's length
/// after reading is then the only limit.
/// </remarks>
internal static class WxrSizeGuard
{
    public static readonly XName Marker = XName.Get("oversized", "urn:livediscussion:import");

    /// <summary>Open elements deeper than this are not measured; real exports nest five levels.</summary>
    private const int MaxTrackedDepth = 64;

    public readonly record struct Range(long Start, long End);

    private enum State { Text, TagOpen, Bang, BangDash, CDataPrefix, CData, Comment, ProcessingInstruction, Declaration, StartTag, EndTag }

    /// <summary>
    /// The byte ranges, from <paramref name="stream"/>'s position to its end, of element contents longer than
    /// <paramref name="limitBytes"/>. A content that the end of the file cuts off counts up to the end, so even a
    /// truncated file never makes the reader hold it.
    /// </summary>
    public static List<Range> FindOversized(Stream stream, long limitBytes, Action<long>? progress = null)
    {
        var ranges = new List<Range>();
        var start = stream.Position;
        var prefix = new byte[2];
        var read = stream.ReadAtLeast(prefix, 2, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 2 && (prefix[0] == 0 || prefix[1] == 0 || (prefix[0] == 0xFF && prefix[1] == 0xFE) || (prefix[0] == 0xFE && prefix[1] == 0xFF)))
        {
            return ranges;
        }

        // Per open element: where its content starts, or -1 once a child element shows it is not a text.
        var open = new long[MaxTrackedDepth];
        var depth = 0;
        var state = State.Text;
        var tagStart = 0L;
        var run = 0; // consecutive ']' or '-' or the count of "[CDATA[" matched so far
        byte quote = 0;
        byte previous = 0;
        var declarationNesting = 0;
        var buffer = new byte[64 * 1024];
        var position = start;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < n; i++, position++)
            {
                var b = buffer[i];
                switch (state)
                {
                    case State.Text:
                        // The common case by far: jump to the next '<'.
                        var next = buffer.AsSpan(i, n - i).IndexOf((byte)'<');
                        if (next < 0)
                        {
                            position += n - i - 1;
                            i = n;
                            break;
                        }

                        i += next;
                        position += next;
                        tagStart = position;
                        state = State.TagOpen;
                        break;
                    case State.TagOpen:
                        state = b switch
                        {
                            (byte)'!' => State.Bang,
                            (byte)'?' => State.ProcessingInstruction,
                            (byte)'/' => State.EndTag,
                            _ => State.StartTag,
                        };
                        quote = 0;
                        run = 0;
                        break;
                    case State.Bang:
                        (state, run, declarationNesting) = b switch
                        {
                            (byte)'-' => (State.BangDash, 0, 0),
                            (byte)'[' => (State.CDataPrefix, 1, 0),
                            _ => (State.Declaration, 0, 0),
                        };
                        break;
                    case State.BangDash:
                        state = b == '-' ? State.Comment : State.Declaration;
                        run = 0;
                        break;
                    case State.CDataPrefix:
                        // "[CDATA[" is seven bytes; its content starts after them.
                        if (++run == 7)
                        {
                            state = State.CData;
                            run = 0;
                        }

                        break;
                    case State.CData:
                    case State.Comment:
                        // "]]>" ends a CDATA section, "-->" a comment: two closers in a row, then '>'.
                        var closer = state == State.CData ? (byte)']' : (byte)'-';
                        if (b == '>' && run >= 2)
                        {
                            state = State.Text;
                        }

                        run = b == closer ? run + 1 : 0;
                        break;
                    case State.ProcessingInstruction:
                        if (b == '>' && previous == '?')
                        {
                            state = State.Text;
                        }

                        break;
                    case State.Declaration:
                        if (Quoted(ref quote, b))
                        {
                            break;
                        }

                        if (b == '[')
                        {
                            declarationNesting++;
                        }
                        else if (b == ']')
                        {
                            declarationNesting--;
                        }
                        else if (b == '>' && declarationNesting <= 0)
                        {
                            state = State.Text;
                        }

                        break;
                    case State.StartTag:
                        if (Quoted(ref quote, b))
                        {
                            break;
                        }

                        if (b == '>')
                        {
                            if (depth > 0 && depth <= MaxTrackedDepth)
                            {
                                open[depth - 1] = -1;
                            }

                            if (previous != '/')
                            {
                                depth++;
                                if (depth <= MaxTrackedDepth)
                                {
                                    open[depth - 1] = position + 1;
                                }
                            }

                            state = State.Text;
                        }

                        break;
                    case State.EndTag:
                        if (b == '>')
                        {
                            if (depth > 0 && depth <= MaxTrackedDepth && open[depth - 1] >= 0 && tagStart - open[depth - 1] > limitBytes)
                            {
                                ranges.Add(new Range(open[depth - 1], tagStart));
                            }

                            depth = Math.Max(0, depth - 1);
                            state = State.Text;
                        }

                        break;
                }

                previous = b;
            }

            progress?.Invoke(position - start);
        }

        // Cut off inside a text: what was read of it still must not reach the reader.
        if (depth > 0 && depth <= MaxTrackedDepth && open[depth - 1] >= 0 && position - open[depth - 1] > limitBytes)
        {
            ranges.Add(new Range(open[depth - 1], position));
        }

        return ranges;
    }

    /// <summary>Follows quoted values, in which '&gt;' and '[' mean nothing: true for a byte inside one or at its quotes.</summary>
    private static bool Quoted(ref byte quote, byte b)
    {
        if (quote != 0)
        {
            quote = b == quote ? (byte)0 : quote;
            return true;
        }

        if (b is (byte)'"' or (byte)'\'')
        {
            quote = b;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The file from <paramref name="start"/> with each range replaced by a <see cref="Marker"/> element carrying its
    /// size in bytes. Reports how far into the file it has read.
    /// </summary>
    public static Stream Open(Stream source, long start, IReadOnlyList<Range> oversized, Action<long>? progress = null)
    {
        source.Position = start;
        return new ElidingStream(source, start, oversized, progress);
    }

    /// <summary>The size a marker stands for, when <paramref name="element"/> holds one.</summary>
    public static long? OversizedBytes(XElement? element) =>
        element?.DescendantsAndSelf(Marker).Select(m => (long?)m.Attribute("bytes")).FirstOrDefault();

    private sealed class ElidingStream(Stream source, long start, IReadOnlyList<Range> ranges, Action<long>? progress) : Stream
    {
        private int _next;
        private byte[] _marker = [];
        private int _markerAt;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => source.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_markerAt < _marker.Length)
            {
                var part = Math.Min(buffer.Length, _marker.Length - _markerAt);
                _marker.AsSpan(_markerAt, part).CopyTo(buffer);
                _markerAt += part;
                return part;
            }

            if (_next < ranges.Count && source.Position == ranges[_next].Start)
            {
                var range = ranges[_next++];
                _marker = Encoding.UTF8.GetBytes(
                    $"<ld:{Marker.LocalName} xmlns:ld=\"{Marker.NamespaceName}\" bytes=\"{range.End - range.Start}\"/>");
                _markerAt = 0;
                source.Position = range.End;
                return Read(buffer);
            }

            var allowed = _next < ranges.Count ? (int)Math.Min(buffer.Length, ranges[_next].Start - source.Position) : buffer.Length;
            var read = source.Read(buffer[..allowed]);
            progress?.Invoke(source.Position - start);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
