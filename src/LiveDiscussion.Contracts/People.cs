namespace LiveDiscussion.Contracts;

/// <summary>
/// One account as admins see it on the people page: its staff roles (every account is also a member) and a suspension
/// in force, if any.
/// </summary>
public sealed record PersonDto(
    string Id, string DisplayName, string? Email, IReadOnlyList<string> Roles, DateTimeOffset? SuspendedUntil, string? SuspensionReason);

/// <summary>A page of the people search, in order of display name; <see cref="Total"/> counts every match.</summary>
public sealed record PeoplePageDto(IReadOnlyList<PersonDto> People, int Total, int Page, int PageSize);

/// <summary>
/// The staff roles a person should have from now on, replacing those they have: <c>["Moderator"]</c>, <c>["Admin"]</c>,
/// both, or none. <c>"Member"</c> may be given and changes nothing: every account is a member.
/// </summary>
public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);
