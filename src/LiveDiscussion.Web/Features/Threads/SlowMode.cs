using System.Globalization;
using LiveDiscussion.Web.Features.Events;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>Slow mode's rules in one place: when it is in force, and how it is said.</summary>
public static class SlowMode
{
    /// <summary>The seconds between two replies at <paramref name="now"/>: 0 when off or past its end.</summary>
    public static int SecondsAt(int seconds, DateTimeOffset? until, DateTimeOffset now) =>
        seconds > 0 && (until is null || until > now) ? seconds : 0;

    /// <summary>"one reply every 30 seconds": what a composer and a refusal say.</summary>
    public static string Pace(int seconds) => seconds switch
    {
        1 => "one reply a second",
        < 120 => $"one reply every {seconds} seconds",
        _ when seconds % 60 == 0 => $"one reply every {seconds / 60} minutes",
        _ => $"one reply every {seconds / 60} min {seconds % 60} s",
    };

    public static string Describe(SlowModeSetting setting) => setting.Seconds == 0
        ? "off"
        : Pace(setting.Seconds) + (setting.Until is { } until ? $" until {Time(until)}" : "");

    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
