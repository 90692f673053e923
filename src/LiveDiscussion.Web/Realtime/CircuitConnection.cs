using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Tells a page when its browser has come back after losing the connection, so it can catch up on what it may have
/// missed instead of trusting that nothing happened meanwhile.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    public event Func<Task>? Reconnected;

    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        return Task.CompletedTask;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_wasDown && Reconnected is { } handlers)
        {
            _wasDown = false;
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }
}
