using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// POSIX signals to a child process, as an operator, an orchestrator or a stalled machine would send them; .NET can
/// only kill. The numbers are Linux's, where the tests run (they need redis-server).
/// </summary>
internal static class Signals
{
    private const int Quit = 3;
    private const int Terminate = 15;
    private const int Continue = 18;
    private const int Stop = 19;

    /// <summary>SIGTERM: asks the process to stop gracefully, as <c>docker stop</c> or systemd does.</summary>
    public static void AskToStop(Process process) => Send(process, Terminate);

    /// <summary>SIGSTOP: freezes the process; its sockets stay open and nothing on them is answered.</summary>
    public static void Freeze(Process process) => Send(process, Stop);

    /// <summary>SIGCONT: lets a frozen process run on.</summary>
    public static void Thaw(Process process) => Send(process, Continue);

    /// <summary>SIGQUIT: to a PostgreSQL postmaster, an immediate shutdown (its own processes end with it).</summary>
    public static void AskToQuitNow(int processId) => Send(processId, Quit);

    private static void Send(Process process, int signal) => Send(process.Id, signal);

    private static void Send(int processId, int signal)
    {
        if (kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to process {processId} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
