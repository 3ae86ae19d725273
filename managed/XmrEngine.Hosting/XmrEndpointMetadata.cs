namespace XmrEngine.Hosting;

/// <summary>
/// Marks the engine's API endpoints, so that what the engine registers application-wide (its rate limiter, its
/// 401/403 bodies) applies to them and leaves the application's other endpoints alone.
/// </summary>
internal sealed class XmrEndpointMetadata
{
    public static readonly XmrEndpointMetadata Instance = new();

    private XmrEndpointMetadata()
    {
    }
}
