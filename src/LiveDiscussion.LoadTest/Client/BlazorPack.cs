using System.Buffers;
using MessagePack;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// The few messages of SignalR's MessagePack hub protocol (named "blazorpack" on Blazor's <c>/_blazor</c> hub) that a
/// circuit needs: each message is a MessagePack array prefixed by its length as a 7-bit varint. Writes invocations and
/// pings; reads message types and leaves the arguments to the caller, reading only what it needs.
/// </summary>
public static class BlazorPack
{
    public const int Invocation = 1;
    public const int Completion = 3;
    public const int Ping = 6;
    public const int Close = 7;

    /// <summary>Completion result kinds.</summary>
    public const int ErrorResult = 1;
    public const int NonVoidResult = 3;

    public static readonly byte[] Handshake = "{\"protocol\":\"blazorpack\",\"version\":1}\u001e"u8.ToArray();

    /// <summary>[6]: a ping, framed.</summary>
    public static readonly byte[] PingMessage = [0x02, 0x91, Ping];

    /// <summary>
    /// An invocation of hub method <paramref name="target"/>, framed; <paramref name="invocationId"/> null for a send
    /// that wants no answer. Arguments may be strings, null, longs, ints and bools.
    /// </summary>
    public static byte[] Invoke(string? invocationId, string target, params object?[] arguments)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(6);
        writer.Write(Invocation);
        writer.WriteMapHeader(0);
        if (invocationId is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(invocationId);
        }

        writer.Write(target);
        writer.WriteArrayHeader(arguments.Length);
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case null:
                    writer.WriteNil();
                    break;
                case string text:
                    writer.Write(text);
                    break;
                case long number:
                    writer.Write(number);
                    break;
                case int number:
                    writer.Write(number);
                    break;
                case bool flag:
                    writer.Write(flag);
                    break;
                default:
                    throw new ArgumentException($"No MessagePack writing for {argument.GetType().Name}.", nameof(arguments));
            }
        }

        writer.WriteArrayHeader(0);
        writer.Flush();
        return Framed(body.WrittenSpan);
    }

    /// <summary>The length prefix and then <paramref name="body"/>.</summary>
    public static byte[] Framed(ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[5];
        var prefixLength = 0;
        var length = (uint)body.Length;
        do
        {
            var next = (byte)(length & 0x7f);
            length >>= 7;
            prefix[prefixLength++] = length > 0 ? (byte)(next | 0x80) : next;
        }
        while (length > 0);

        var framed = new byte[prefixLength + body.Length];
        prefix[..prefixLength].CopyTo(framed);
        body.CopyTo(framed.AsSpan(prefixLength));
        return framed;
    }

    /// <summary>
    /// Finds the first whole message in <paramref name="buffer"/>: false when more bytes are needed. On true,
    /// <paramref name="bodyStart"/> and <paramref name="bodyLength"/> locate its MessagePack array.
    /// </summary>
    public static bool TryFrame(ReadOnlySpan<byte> buffer, out int bodyStart, out int bodyLength)
    {
        bodyStart = 0;
        bodyLength = 0;
        long length = 0;
        for (var i = 0; i < Math.Min(buffer.Length, 5); i++)
        {
            length |= (long)(buffer[i] & 0x7f) << (7 * i);
            if ((buffer[i] & 0x80) == 0)
            {
                if (length > int.MaxValue)
                {
                    throw new InvalidDataException("A blazorpack message longer than 2 GB.");
                }

                bodyStart = i + 1;
                bodyLength = (int)length;
                return buffer.Length - bodyStart >= bodyLength;
            }
        }

        return buffer.Length >= 5 ? throw new InvalidDataException("A blazorpack length prefix longer than 5 bytes.") : false;
    }

    /// <summary>Reads a message's type, leaving <paramref name="reader"/> at its next field (the headers, for most).</summary>
    public static int ReadType(ref MessagePackReader reader)
    {
        reader.ReadArrayHeader();
        return reader.ReadInt32();
    }

    /// <summary>An invocation's headers, id and target, leaving <paramref name="reader"/> inside its arguments (their count read).</summary>
    public static (string? InvocationId, string Target, int Arguments) ReadInvocation(ref MessagePackReader reader)
    {
        reader.Skip();
        var invocationId = reader.TryReadNil() ? null : reader.ReadString();
        var target = reader.ReadString() ?? "";
        return (invocationId, target, reader.ReadArrayHeader());
    }

    /// <summary>A completion's id and result kind, leaving <paramref name="reader"/> at the result or error, if any.</summary>
    public static (string? InvocationId, int ResultKind) ReadCompletion(ref MessagePackReader reader)
    {
        reader.Skip();
        var invocationId = reader.ReadString();
        return (invocationId, reader.ReadInt32());
    }

    /// <summary>A string or nil.</summary>
    public static string? ReadNullableString(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadString();
}
