using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// POSIX signals to a child process, as an operator, an orchestrator or a stalled machine would send them; .NET can
/// only kill. The numbers are Linux's, where the tests run (they need redis-server).
/// </summary>
internal static class Signals
{
    private const int Terminate = 15;
    private const int Continue = 18;
    private const int Stop = 19;

    /// <summary>SIGTERM: asks the process to stop gracefully, as <c>docker stop</c> or systemd does.</summary>
    public static void AskToStop(Process process) => Send(process, Terminate);

    /// <summary>SIGSTOP: freezes the process; its sockets stay open and nothing on them is answered.</summary>
    public static void Freeze(Process process) => Send(process, Stop);

    /// <summary>SIGCONT: lets a frozen process run on.</summary>
    public static void Thaw(Process process) => Send(process, Continue);

    private static void Send(Process process, int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to process {process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
