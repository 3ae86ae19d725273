using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// Gives an error answer that has no body (routing's 405 for a wrong method, a 404 for an unknown route under
/// <c>/v1</c>) a problem-details body, as every other error of the API has. Only paths under <c>/v1</c>: the
/// application's own endpoints are left as they are.
/// </summary>
internal static class ProblemStatusCodePages
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/v1")) return;
        int status = http.Response.StatusCode;
        string detail = status switch
        {
            StatusCodes.Status405MethodNotAllowed => $"method: {http.Request.Method} is not allowed here; allowed: {http.Response.Headers.Allow}.",
            StatusCodes.Status404NotFound => $"path: no endpoint answers '{http.Request.Path}'.",
            _ => $"the request failed with status {status}.",
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        }).ConfigureAwait(false);
    }
}
