namespace LiveDiscussion.Web.Features.Import;

/// <summary>
/// What an import did. <see cref="RepliesImported"/> counts every stored reply, <see cref="RepliesHeld"/> the part of
/// them waiting for approval. <see cref="SkippedByReason"/> counts what was left out by kind ("page", "post (draft)",
/// "spam comment", ...); <see cref="Lines"/> explains to a person what needs a look.
/// </summary>
public sealed record ImportReport(
    int ThreadsImported,
    int ThreadsUpdated,
    int RepliesImported,
    int RepliesHeld,
    int LinkedFrom,
    IReadOnlyDictionary<string, int> SkippedByReason,
    IReadOnlyList<string> Lines)
{
    public int Skipped(string reason) => SkippedByReason.GetValueOrDefault(reason);
}

/// <summary>
/// How far an import has got: <see cref="Fraction"/> of the whole work from 0 to 1 (checking the file is the first
/// quarter, importing the rest, by bytes read), the stage by name, and how many items (posts, pages, ...) were read.
/// </summary>
public sealed record ImportProgress(string Stage, double Fraction, int ItemsRead)
{
    public const string Checking = "Checking the file";
    public const string Importing = "Importing";
    public const string Done = "Done";
}

/// <summary>Collects the report as the import goes, keeping a bounded number of lines so a huge file stays cheap.</summary>
internal sealed class ImportReportBuilder
{
    private const int MaxLines = 1000;

    private readonly Dictionary<string, int> _skipped = [];
    private readonly List<string> _lines = [];
    private int _linesLeftOff;

    public int ThreadsImported { get; set; }
    public int ThreadsUpdated { get; set; }
    public int RepliesImported { get; set; }
    public int RepliesHeld { get; set; }
    public int LinkedFrom { get; set; }

    public void Skip(string reason, int count = 1) =>
        _skipped[reason] = _skipped.GetValueOrDefault(reason) + count;

    public void Line(string line)
    {
        if (_lines.Count < MaxLines)
        {
            _lines.Add(line);
        }
        else
        {
            _linesLeftOff++;
        }
    }

    public ImportReport Build()
    {
        var lines = _linesLeftOff == 0 ? _lines : [.. _lines, $"... and {_linesLeftOff} more lines like these."];
        return new ImportReport(ThreadsImported, ThreadsUpdated, RepliesImported, RepliesHeld, LinkedFrom,
            new Dictionary<string, int>(_skipped), lines);
    }
}
