using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// The one thread that reads every <see cref="EpollWebSocket"/> of the process. Level-triggered: a socket is read once
/// per readiness, and if more is waiting the next wait reports it again. While frames keep arriving the thread stays
/// awake and each frame costs one <c>recv</c>.
/// </summary>
internal sealed class EpollLoop
{
    private const int EpollCloexec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const uint EpollRdHup = 0x2000;
    private const int MaxEvents = 512;
    internal const int Eintr = 4;
    internal const int Eagain = 11;
    internal const int MsgDontWait = 0x40;

    // The kernel's struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private static readonly Lazy<EpollLoop> LazyShared = new(() => new EpollLoop());

    private readonly int _epoll;
    private readonly ConcurrentDictionary<int, EpollWebSocket> _sockets = new();

    private EpollLoop()
    {
        _epoll = epoll_create1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        new Thread(Run) { IsBackground = true, Name = "raw watchers' epoll" }.Start();
    }

    public static EpollLoop Shared => LazyShared.Value;

    public void Add(int fd, EpollWebSocket socket)
    {
        _sockets[fd] = socket;
        if (epoll_ctl(_epoll, EpollCtlAdd, fd, Event(EpollIn | EpollRdHup, fd)) != 0)
        {
            var problem = Marshal.GetLastPInvokeErrorMessage();
            _sockets.TryRemove(new KeyValuePair<int, EpollWebSocket>(fd, socket));
            throw new IOException($"epoll_ctl(ADD) failed: {problem}");
        }
    }

    /// <summary>Before the socket is closed, so its descriptor cannot have been given to another by then.</summary>
    public void Remove(int fd, EpollWebSocket socket)
    {
        epoll_ctl(_epoll, EpollCtlDel, fd, Event(0, fd));
        _sockets.TryRemove(new KeyValuePair<int, EpollWebSocket>(fd, socket));
    }

    internal static int Receive(int fd, byte[] buffer, int offset)
    {
        var received = recv(fd, ref buffer[offset], (nuint)(buffer.Length - offset), MsgDontWait);
        if (received >= 0)
        {
            return (int)received;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is Eagain or Eintr ? -1 : throw new IOException($"recv failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private void Run()
    {
        var events = new byte[MaxEvents * EventSize];
        // Shared by all sockets: a frame that arrives whole, as nearly all do, is read, handled and forgotten here.
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var ready = epoll_wait(_epoll, events, MaxEvents, -1);
            for (var i = 0; i < ready; i++)
            {
                var fd = (int)BinaryPrimitives.ReadInt64LittleEndian(events.AsSpan(i * EventSize + DataOffset));
                if (_sockets.TryGetValue(fd, out var socket))
                {
                    socket.OnReadable(buffer);
                }
            }
        }
    }

    private static byte[] Event(uint events, int fd)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, events);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(DataOffset), fd);
        return bytes;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, byte[] epollEvent);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, [Out] byte[] events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recv(int fd, ref byte buffer, nuint length, int flags);
}
