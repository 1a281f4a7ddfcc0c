using System.Security.Claims;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Presence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CreditDesk.Web.Components.Live;

/// <summary>
/// This tab's place on the <see cref="PresenceBoard"/>: the application its detail has open and what its person is doing
/// there (the status box and the note box say when they are in hand). Applicants never enter: the board is staff's.
/// </summary>
public sealed class CircuitPresence(PresenceBoard board, AuthenticationStateProvider authentication) : IDisposable
{
    private readonly Lock gate = new();
    private readonly HashSet<string> busy = [];
    private Viewer? current;

    /// <summary>This tab (its circuit) on the board.</summary>
    public Guid Session { get; } = Guid.NewGuid();

    /// <summary>The signed-in person's id once known (to tell them from the others).</summary>
    public string? UserId { get; private set; }

    /// <summary>The detail opened <paramref name="applicationId"/>; staff appear as viewing it, anyone else nowhere.</summary>
    public async Task EnterAsync(Guid applicationId)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (Caller.From(user) is not { IsApplicant: false } caller)
        {
            return;
        }
        UserId = caller.Id;
        var email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? caller.Id;
        var viewer = new Viewer(Session, applicationId, caller.Id, email, caller.Role, PresenceActivity.Viewing);
        lock (gate)
        {
            busy.Clear();
            current = viewer;
        }
        board.Enter(viewer);
    }

    /// <summary>The detail of <paramref name="applicationId"/> closed (a later detail may already have replaced it).</summary>
    public void Leave(Guid applicationId)
    {
        lock (gate)
        {
            if (current?.ApplicationId != applicationId)
            {
                return;
            }
            current = null;
            busy.Clear();
        }
        board.Leave(Session);
    }

    /// <summary>A box on the detail is in hand (or put down): the viewer shows the busiest such activity.</summary>
    public void Doing(string activity, bool active)
    {
        Viewer? changed;
        lock (gate)
        {
            if (current is null || !(active ? busy.Add(activity) : busy.Remove(activity)))
            {
                return;
            }
            var shown = busy.Contains(PresenceActivity.ChangingStatus) ? PresenceActivity.ChangingStatus
                : busy.Contains(PresenceActivity.WritingNote) ? PresenceActivity.WritingNote
                : PresenceActivity.Viewing;
            current = changed = current with { Activity = shown };
        }
        board.Enter(changed);
    }

    internal void ConnectionDown() => board.Disconnected(Session);

    internal void ConnectionUp() => board.Reconnected(Session);

    public void Dispose() => board.Leave(Session);
}

/// <summary>
/// A closed tab keeps its circuit for minutes in case it comes back; its viewer must not. The connection's going down
/// takes it off the board at once; the same tab reconnecting puts it back.
/// </summary>
public sealed class PresenceCircuitHandler(CircuitPresence presence) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionDown();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionUp();
        return Task.CompletedTask;
    }
}
