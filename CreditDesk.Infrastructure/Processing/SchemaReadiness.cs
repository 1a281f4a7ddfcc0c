namespace CreditDesk.Infrastructure.Processing;

/// <summary>Completes when this node has seen the schema migrated; background work that needs tables waits for it.</summary>
public sealed class SchemaReadiness
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WhenReady => ready.Task;

    public bool IsReady => ready.Task.IsCompletedSuccessfully;

    public void MarkReady() => ready.TrySetResult();
}
