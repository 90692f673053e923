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
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Contracts.Limits.RequestBodyMaxBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Malformed JSON then reaches the exception handler, which says what was wrong instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BodyRenderer>();
    }

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

    public static void MapPages(this WebApplication app) =>
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
