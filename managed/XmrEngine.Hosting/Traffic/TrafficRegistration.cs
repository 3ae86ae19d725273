using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace XmrEngine.Hosting.Traffic;

/// <summary>
/// Registers ASP.NET Core's rate limiter and request timeouts for <see cref="ServingTrafficLimits"/>. The limiter is
/// the application's global one, but it partitions every request that is not one of the engine's endpoints into "no
/// limit", so the application's own endpoints are left alone.
/// </summary>
internal static class TrafficRegistration
{
    public static void AddXmrTraffic(this IServiceCollection services, ServingTrafficLimits limits)
    {
        services.AddRateLimiter(o =>
        {
            var chain = new List<PartitionedRateLimiter<HttpContext>>();
            // Rates first: a caller over its rate is refused before it takes a place in the queue.
            if (limits.RequestsPerPeriodPerKey > 0)
                chain.Add(Bucket(limits.RequestsPerPeriodPerKey, limits.Period, CallerName));
            if (limits.RequestsPerPeriodPerAddress > 0)
                chain.Add(Bucket(limits.RequestsPerPeriodPerAddress, limits.Period, c => c.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
            chain.Add(PartitionedRateLimiter.Create<HttpContext, string>(context => IsEngine(context)
                ? RateLimitPartition.GetConcurrencyLimiter("xmr", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.MaxConcurrentRequests,
                    QueueLimit = limits.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter("")));
            o.GlobalLimiter = chain.Count == 1 ? chain[0] : PartitionedRateLimiter.CreateChained([.. chain]);
            o.OnRejected = (context, cancel) => Reject(context, limits, cancel);
        });
        services.AddRequestTimeouts();
    }

    /// <summary>The engine's timeout policy: 504 with a problem-details body, or null when there is no limit.</summary>
    public static RequestTimeoutPolicy? TimeoutPolicy(ServingTrafficLimits limits) => limits.RequestTimeout == TimeSpan.Zero ? null : new RequestTimeoutPolicy
    {
        Timeout = limits.RequestTimeout,
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = context => WriteProblem(context.Response.HttpContext, StatusCodes.Status504GatewayTimeout, "Request timed out",
            $"the request took longer than the server's limit of {limits.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s and was cancelled."),
    };

    private static PartitionedRateLimiter<HttpContext> Bucket(int permits, TimeSpan period, Func<HttpContext, string?> partitionOf) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            string? key = IsEngine(context) ? partitionOf(context) : null;
            return key is null
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter("k" + key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = permits,
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
        });

    /// <summary>The authenticated caller's name (a key's hash prefix, a token's subject), or null for anonymous callers.</summary>
    private static string? CallerName(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true } identity
            ? identity.Name ?? context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? context.User.FindFirst("sub")?.Value
            : null;

    private static bool IsEngine(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<XmrEndpointMetadata>() is not null;

    private static async ValueTask Reject(OnRejectedContext rejected, ServingTrafficLimits limits, CancellationToken cancel)
    {
        var context = rejected.HttpContext;
        // A token bucket's refusal says when a token comes back; the concurrency limiter's (queue full) does not.
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retry))
        {
            context.Response.Headers.RetryAfter = Seconds(retry);
            await WriteProblem(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"over the server's rate limit; retry after {Seconds(retry)} s.").ConfigureAwait(false);
        }
        else
        {
            context.Response.Headers.RetryAfter = Seconds(limits.BusyRetryAfter);
            await WriteProblem(context, StatusCodes.Status503ServiceUnavailable, "Server busy",
                $"all {limits.MaxConcurrentRequests} request slots and the queue of {limits.QueueLimit} are taken; retry after {Seconds(limits.BusyRetryAfter)} s.").ConfigureAwait(false);
        }
    }

    private static string Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static async Task WriteProblem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
