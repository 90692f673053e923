using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveDiscussion.Web.Data;

public sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
