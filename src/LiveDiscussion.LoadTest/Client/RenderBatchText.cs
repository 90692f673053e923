using System.Buffers.Binary;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// Reads the one part of a Blazor render batch a load test needs: its string table, where every text the batch puts on
/// the page (markup, text, attribute values) sits once as UTF-8. The batch ends with five little-endian int32s, the
/// last the start of the table; the table holds one int32 offset per string (-1 for null) up to those five, and each
/// offset points at a LEB128 byte length followed by the bytes. The frames and edits are not decoded.
/// </summary>
public static class RenderBatchText
{
    private const int TrailerLength = 20;

    /// <summary>
    /// Adds to <paramref name="found"/> the number N of every <c>{prefix}N</c> in the batch's strings, where N is a run
    /// of digits ended by a non-digit or the end of its string (so "#1" is not read out of "#17").
    /// </summary>
    public static void FindNumbered(ReadOnlySpan<byte> batch, ReadOnlySpan<byte> prefix, List<int> found)
    {
        if (batch.Length < TrailerLength)
        {
            throw new InvalidDataException($"A render batch of {batch.Length} bytes is shorter than its trailer.");
        }

        var tableStart = BinaryPrimitives.ReadInt32LittleEndian(batch[^4..]);
        var tableEnd = batch.Length - TrailerLength;
        if (tableStart < 0 || tableStart > tableEnd || (tableEnd - tableStart) % 4 != 0)
        {
            throw new InvalidDataException($"A render batch's string table at {tableStart} does not fit its {batch.Length} bytes.");
        }

        for (var entry = tableStart; entry < tableEnd; entry += 4)
        {
            var at = BinaryPrimitives.ReadInt32LittleEndian(batch[entry..]);
            if (at >= 0)
            {
                FindInString(ReadString(batch, at), prefix, found);
            }
        }
    }

    /// <summary>The UTF-8 bytes of the string whose length prefix is at <paramref name="at"/>.</summary>
    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> batch, int at)
    {
        var length = 0;
        var shift = 0;
        while (true)
        {
            if (at >= batch.Length || shift > 28)
            {
                throw new InvalidDataException("A render batch string's length runs past the batch.");
            }

            var next = batch[at++];
            length |= (next & 0x7f) << shift;
            shift += 7;
            if ((next & 0x80) == 0)
            {
                break;
            }
        }

        return length <= batch.Length - at
            ? batch.Slice(at, length)
            : throw new InvalidDataException("A render batch string runs past the batch.");
    }

    private static void FindInString(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix, List<int> found)
    {
        int at;
        while ((at = text.IndexOf(prefix)) >= 0)
        {
            text = text[(at + prefix.Length)..];
            var digits = 0;
            long number = 0;
            while (digits < text.Length && text[digits] is >= (byte)'0' and <= (byte)'9' && number <= int.MaxValue)
            {
                number = number * 10 + (text[digits] - '0');
                digits++;
            }

            if (digits > 0 && number <= int.MaxValue)
            {
                found.Add((int)number);
            }

            text = text[digits..];
        }
    }
}
