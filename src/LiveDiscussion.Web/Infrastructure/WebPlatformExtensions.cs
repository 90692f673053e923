using System.Text.Json.Serialization;
using LiveDiscussion.Web.Components;
using LiveDiscussion.Web.Features.Content;
using MudBlazor.Services;

namespace LiveDiscussion.Web.Infrastructure;

/// <summary>What every feature stands on: pages, errors as ProblemDetails, request limits, OpenAPI.</summary>
public static class WebPlatformExtensions
{
    public static void AddWebPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = BrowserMessageMaxBytes);
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<PrerenderHandoff>();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Contracts.Limits.RequestBodyMaxBytes);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status));
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Malformed JSON then reaches the exception handler, which says what was wrong instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BodyHtmlWriteBack>();
        builder.Services.AddSingleton<BodyRenderer>();
    }

    /// <summary>
    /// The largest message a page's browser may send its circuit. The largest it needs is a composer's text on each
    /// input event: 10,000 characters, which JSON inside JSON writes in up to 7 bytes each (a control character becomes
    /// <c>\\u0001</c>), about 70 KB. Nothing else comes near: the persisted prerender state is a key
    /// (<see cref="PrerenderHandoff"/>) and the drafts read back from the browser are capped by the composer.
    /// The discussion hub keeps its own, smaller limit.
    /// </summary>
    public const int BrowserMessageMaxBytes = 128 * 1024;

    public static void UseWebPlatform(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", CreateScopeForErrors = true });
        app.UseWhen(IsApi, api => api.UseStatusCodePages());
        app.UseWhen(context => !IsApi(context), pages =>
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapOpenApi();
    }

    // Blazor's own frame-ancestors header is off: the site's Content-Security-Policy carries the same 'self' and the
    // configured ancestors (Security/SecurityHeaders), and two policies would both have to allow a frame.
    public static void MapPages(this WebApplication app) =>
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = null);

    /// <summary>Words for the refusals the framework makes before any of our code runs.</summary>
    private static string? DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => TooLargeDetail,
        StatusCodes.Status401Unauthorized => "Sign in first.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
        StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
        _ => null,
    };

    public static readonly string TooLargeDetail =
        $"The request body is too large: at most {Contracts.Limits.RequestBodyMaxBytes / 1024} KB are accepted.";

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
