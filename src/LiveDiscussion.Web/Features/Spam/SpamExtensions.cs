namespace LiveDiscussion.Web.Features.Spam;

public static class SpamExtensions
{
    /// <summary>
    /// The built-in checks, in the order they are asked. An outside checker is one more <see cref="ISpamCheck"/>
    /// registered here.
    /// </summary>
    public static void AddSpamDefence(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SpamOptions>().Bind(builder.Configuration.GetSection(SpamOptions.Section))
            .Validate(options => options.IsValid(),
                "Spam:MaxLinksForNewMembers and Spam:RegisterMinFillSeconds must be 0 or more, Spam:RepeatedTextThreads 2 or more "
                + "and Spam:RepeatedTextMinutes 1 or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ISpamCheck, TooManyLinksCheck>();
        builder.Services.AddSingleton<ISpamCheck, RepeatedTextCheck>();
        builder.Services.AddSingleton<SpamDefence>();
        builder.Services.AddSingleton<RegisterFormGuard>();
    }
}
