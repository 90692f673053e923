using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Data.Moving;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Import;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.RateLimits;
using LiveDiscussion.Web.Features.People;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Reports;
using LiveDiscussion.Web.Features.Spam;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using LiveDiscussion.Web.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddWebPlatform();
builder.AddSecurity();
builder.AddHealth();
builder.AddData();
builder.AddAccounts();
builder.AddEvents();
builder.AddThreads();
builder.AddReplies();
builder.AddSpamDefence();
builder.AddImport();
builder.AddModeration();
builder.AddReports();
builder.AddLimits();
builder.AddPeople();
builder.AddRealtime();

var app = builder.Build();

await app.MigrateDatabaseAsync();
await app.SeedAccountsAsync();
if (await app.RunImportCommandAsync(args) || await app.RunMoveDatabaseCommandAsync(args))
{
    return;
}

await app.SeedDemoContentAsync();

app.UseSecurity();
app.UseWebPlatform();
app.UseLimits();
app.MapHealth();
app.MapAccounts();
app.MapThreads();
app.MapReplies();
app.MapEvents();
app.MapModeration();
app.MapReports();
app.MapPeople();
app.MapImport();
app.MapRealtime();
app.MapPages();

app.Run();

/// <summary>Visible to the test projects' application factories.</summary>
public partial class Program;
