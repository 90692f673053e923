using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Features.People;

public static class PeopleExtensions
{
    public static void AddPeople(this WebApplicationBuilder builder) => builder.Services.AddSingleton<PeopleService>();

    public static void MapPeople(this WebApplication app)
    {
        var users = app.MapGroup("/api/users").WithTags("People");

        users.MapGet("/", (string? search, int? page, HttpContext http, PeopleService people) =>
                people.SearchAsync(http.User, search, page ?? 1, http.RequestAborted))
            .WithSummary("People whose display name or e-mail contains the search, 25 a page, with roles and suspension (admins)");

        users.MapPut("/{id}/roles", (string id, SetRolesRequest request, HttpContext http, PeopleService people) =>
                people.SetRolesAsync(http.User, id, request.Roles, http.RequestAborted))
            .WithSummary("Give someone exactly these staff roles: Moderator, Admin, both or none (admins)");
    }
}
