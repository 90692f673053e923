using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// The size and seed of a generated thread. The same shape gives the same thread (titles, authors, bodies, tree,
/// times) every time; only the database ids differ.
/// </summary>
public sealed record BigThreadShape(int Replies, int AverageBodyLength, int Seed = 20_17)
{
    /// <summary>About 1 MB of reply bodies: the size of a long-running blog's busiest comment thread.</summary>
    public static BigThreadShape TwoThousandReplies { get; } = new(2_000, 500);

    /// <summary>About 3 MB of reply bodies.</summary>
    public static BigThreadShape FiveThousandReplies { get; } = new(5_000, 600);

    public string Title { get; init; } = "Twenty years of comments: does the blogosphere still argue in public?";

    /// <summary>How many people write: accounts and, for the rest, guest names as imported blog commenters have.</summary>
    public int Authors { get; init; } = 36;

    /// <summary>Replies nest at most this many levels (top-level replies are level 1).</summary>
    public int MaxLevels { get; init; } = 8;

    public DateTimeOffset StartsAt { get; init; } = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);
}

public sealed record GeneratedReply(long Id, long? ParentReplyId, int Depth, string AuthorName, string Body, DateTimeOffset CreatedAt);

public sealed record GeneratedThread(long Id, string Slug, string Title, IReadOnlyList<GeneratedReply> Replies)
{
    public string Path => $"/t/{Id}/{Slug}";

    public long TotalBodyLength => Replies.Sum(r => (long)r.Body.Length);

    public int DeepestDepth => Replies.Max(r => r.Depth);

    public GeneratedReply Newest => Replies[^1];

    /// <summary>
    /// The order a reader reads the whole tree in: each reply, then its answers, oldest first, at every level. Written
    /// here on its own, so the tests compare the app's order with one it does not share.
    /// </summary>
    public IReadOnlyList<long> TreeOrder()
    {
        var answers = Replies.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToLookup(r => r.ParentReplyId);
        IEnumerable<long> From(long? parent) => answers[parent].SelectMany(r => From(r.Id).Prepend(r.Id));
        return [.. From(null)];
    }

    /// <summary>Of <paramref name="ids"/>, those the page draws: deeper replies continue on a page of their own.</summary>
    public IReadOnlyList<long> DrawnOnThePage(IEnumerable<long> ids)
    {
        var depths = Replies.ToDictionary(r => r.Id, r => r.Depth);
        return [.. ids.Where(id => depths[id] < ThreadSession.MaxVisibleDepth)];
    }
}

/// <summary>
/// Writes a thread of thousands of replies straight into the database, in one transaction, as an import of a long
/// comment history would leave it: a few dozen authors, Markdown bodies of one to several paragraphs, a tree with many
/// top-level replies and branches up to eight deep, times increasing. It writes no <c>ThreadEvent</c> and leaves
/// <c>LatestSeq</c> at 0, as imported history does, so the app's first live event in it is seq 1.
/// </summary>
/// <remarks>
/// The first four replies and the last four are each a short chain one to four deep, so whichever end of the tree a
/// page shows first, a reply three levels deep is on its first screen.
/// </remarks>
public static class BigThread
{
    private const int ChainLength = 4;

    /// <summary>Into a <see cref="TestApp"/>'s database, through the app's own context factory.</summary>
    public static async Task<GeneratedThread> WriteAsync(TestApp app, BigThreadShape shape)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        return await WriteAsync(db, shape);
    }

    /// <summary>
    /// Into a database file that a separate process may be using already (WAL lets this second writer in; the busy
    /// timeout waits out the other's transactions) or will use: a file that does not exist yet is created and
    /// migrated first. The app seeds its demo thread only into an empty database, so write after it started for both.
    /// </summary>
    public static Task<GeneratedThread> WriteAsync(string databasePath, BigThreadShape shape) =>
        WriteAsync(TestStore.Sqlite(databasePath), shape);

    /// <summary>
    /// As into a SQLite file, into any store. On PostgreSQL the replies' id sequence is moved past the ids written here,
    /// so the app's own inserts go on after them.
    /// </summary>
    public static async Task<GeneratedThread> WriteAsync(TestStore store, BigThreadShape shape)
    {
        await using var db = store.CreateContext();
        await db.Database.MigrateAsync();
        var thread = await WriteAsync(db, shape);
        if (store.Provider == StoreProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync(
                """SELECT setval(pg_get_serial_sequence('"Replies"', 'Id'), (SELECT MAX("Id") FROM "Replies"))""");
        }

        return thread;
    }

    public static async Task<GeneratedThread> WriteAsync(DiscussionDbContext db, BigThreadShape shape)
    {
        var random = new Random(shape.Seed);
        var authors = AuthorsFor(shape, random);

        // Immediate: the write lock is taken before the next free reply id is read, so a node writing at the same
        // time waits for this transaction instead of taking the same ids.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await EnsureAccountsAsync(db, authors);

        var threadAuthor = authors[0];
        var thread = new DiscussionThread
        {
            Title = shape.Title,
            Slug = Slug.From(shape.Title),
            Body = PostBody(random),
            BodyFormat = BodyFormat.Markdown,
            AuthorId = threadAuthor.UserId,
            AuthorName = threadAuthor.Name,
            CreatedAt = shape.StartsAt,
            LastActivityAt = shape.StartsAt,
            State = ThreadState.Open,
        };
        db.Threads.Add(thread);
        await db.SaveChangesAsync();

        var nextId = (await db.Replies.MaxAsync(r => (long?)r.Id) ?? 0) + 1;
        var generated = new List<GeneratedReply>(shape.Replies);
        var at = shape.StartsAt;
        for (var index = 0; index < shape.Replies; index++)
        {
            var (parentIndex, depth) = PlaceInTree(index, shape, generated, random);
            var author = index % 17 == 5 ? threadAuthor : authors[AuthorIndex(random, authors.Count)];
            var inChain = index < ChainLength || index >= shape.Replies - ChainLength;
            var body = ReplyBody(random, inChain ? random.Next(60, 160) : BodyLength(random, shape.AverageBodyLength),
                parentIndex is { } parent ? generated[parent].AuthorName : null);
            at = at.AddSeconds(random.Next(20, 1_800));

            var reply = new Reply
            {
                Id = nextId + index,
                ThreadId = thread.Id,
                ParentReplyId = parentIndex is { } p ? generated[p].Id : null,
                AuthorId = author.UserId,
                AuthorName = author.Name,
                AuthorEmail = author.UserId is null ? author.Email : null,
                AuthorIp = author.UserId is null ? $"203.0.113.{1 + (author.Name.Length * 7 % 250)}" : null,
                Body = body,
                BodyFormat = BodyFormat.Markdown,
                CreatedAt = at,
                State = ReplyState.Visible,
            };
            db.Replies.Add(reply);
            generated.Add(new GeneratedReply(reply.Id, reply.ParentReplyId, depth, author.Name, body, at));
        }

        thread.LastActivityAt = at;
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new GeneratedThread(thread.Id, thread.Slug, thread.Title, generated);
    }

    private sealed record Author(string Name, string Email, string? UserId);

    private static readonly string[] FirstNames =
    [
        "Julia", "Louise", "Carl", "Goda", "Amara", "Tomasz", "Ines", "Kwame", "Mei", "Rafael", "Sigrid", "Omar",
        "Priya", "Lukas", "Noor", "Emeka", "Hana", "Bruno", "Freya", "Dmitri", "Leila", "Mateo", "Yuki", "Astrid",
        "Kofi", "Elena", "Farid", "Maren", "Tariq", "Oona", "Joaquim", "Saskia", "Ravi", "Lena", "Ayodele", "Vera",
    ];

    private static readonly string[] Surnames =
    [
        "Novak", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Kowalski", "Mensah", "Ferreira", "Brandt",
    ];

    /// <summary>A third have accounts here (the thread's author first); the rest are guests with a name and e-mail.</summary>
    private static List<Author> AuthorsFor(BigThreadShape shape, Random random)
    {
        var authors = new List<Author>(shape.Authors);
        for (var i = 0; i < shape.Authors; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var hasAccount = i % 3 == 0;
            var name = hasAccount ? first : random.Next(3) == 0 ? first.ToLowerInvariant() : $"{first} {Surnames[random.Next(Surnames.Length)]}";
            var email = $"{first.ToLowerInvariant()}.{i}.{shape.Seed}@generated.example";
            authors.Add(new Author(name, email, hasAccount ? $"generated-{shape.Seed}-{i}" : null));
        }

        return authors;
    }

    /// <summary>Accounts without a password: they appear as authors; nobody signs in as them.</summary>
    private static async Task EnsureAccountsAsync(DiscussionDbContext db, List<Author> authors)
    {
        var ids = authors.Where(a => a.UserId is not null).Select(a => a.UserId!).ToList();
        var existing = await db.Users.Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync();
        foreach (var author in authors.Where(a => a.UserId is not null && !existing.Contains(a.UserId)))
        {
            db.Users.Add(new AppUser
            {
                Id = author.UserId!,
                UserName = author.Email,
                NormalizedUserName = author.Email.ToUpperInvariant(),
                Email = author.Email,
                NormalizedEmail = author.Email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = author.Name,
                SecurityStamp = author.UserId,
                ConcurrencyStamp = author.UserId,
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>A few people write most of the replies, as in any comment section.</summary>
    private static int AuthorIndex(Random random, int count) =>
        Math.Min(count - 1, (int)(count * Math.Pow(random.NextDouble(), 2.2)));

    /// <summary>Where a reply goes: top level, or under a recent reply that is not yet at the deepest level.</summary>
    private static (int? ParentIndex, int Depth) PlaceInTree(int index, BigThreadShape shape, List<GeneratedReply> replies, Random random)
    {
        var lastChainStart = shape.Replies - ChainLength;
        if (index == 0 || index == lastChainStart)
        {
            return (null, 0);
        }

        if (index < ChainLength || index > lastChainStart)
        {
            return (index - 1, replies[index - 1].Depth + 1);
        }

        if (random.NextDouble() < 0.22)
        {
            return (null, 0);
        }

        // Answers go mostly to what was said lately, and a conversation that is going deep tends to go on.
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var back = 1 + (int)(60 * Math.Pow(random.NextDouble(), 3));
            var candidate = index - back;
            if (candidate >= 0 && replies[candidate].Depth < shape.MaxLevels - 1)
            {
                return (candidate, replies[candidate].Depth + 1);
            }
        }

        return (null, 0);
    }

    /// <summary>Mostly short, some long: a quarter to nearly three times the average, averaging out near it.</summary>
    private static int BodyLength(Random random, int average)
    {
        var roll = random.NextDouble();
        var factor = roll < 0.30 ? 0.15 + random.NextDouble() * 0.2
            : roll < 0.60 ? 0.5 + random.NextDouble() * 0.3
            : roll < 0.85 ? 1.0 + random.NextDouble() * 0.5
            : 2.2 + random.NextDouble() * 1.0;
        return Math.Max(40, (int)(average * factor));
    }

    private static readonly string[] Openers =
    [
        "I am not sure that follows.", "Exactly this.", "Good point, but", "Respectfully, I disagree.",
        "This reminds me of something from 2009.", "Has anyone measured this?", "Thanks for writing this up.",
        "I keep coming back to this thread.", "Playing devil's advocate here:", "Short answer: it depends.",
    ];

    private static readonly string[] Words =
    [
        "media", "activism", "solidarity", "network", "public", "sphere", "platform", "audience", "campaign", "movement",
        "attention", "protest", "visibility", "community", "moderation", "archive", "comment", "blog", "forum", "feed",
        "algorithm", "trust", "voice", "identity", "anonymity", "discourse", "participation", "democracy", "commons",
        "newsroom", "readers", "writers", "editors", "infrastructure", "history", "memory", "slow", "quick", "loud",
        "quiet", "local", "global", "durable", "fragile", "organised", "spontaneous", "paid", "volunteer", "open",
        "closed", "the", "a", "of", "to", "and", "in", "that", "is", "was", "it", "for", "on", "with", "as", "not",
        "but", "what", "we", "they", "people", "really", "often", "rarely", "still", "never", "always", "because",
    ];

    private static readonly string[] Links =
    [
        "https://example.org/essays/networked-publics", "https://example.net/archive/2011/occupy-and-after",
        "https://example.com/research/comment-sections", "https://example.org/notes/slow-activism",
    ];

    private static string PostBody(Random random) =>
        "Blogs turned twenty a while ago and their comment sections are quieter than they were. Is that because the "
        + "argument moved to the platforms, or because it **ended**?\n\n"
        + Paragraph(random, 240) + "\n\nWhat do you see in the communities *you* read?";

    private static string ReplyBody(Random random, int length, string? answering)
    {
        var body = new StringBuilder(length + 200);
        if (answering is not null && random.Next(5) == 0)
        {
            body.Append('@').Append(answering).Append(' ');
        }

        body.Append(Openers[random.Next(Openers.Length)]).Append(' ');
        while (body.Length < length)
        {
            var remaining = length - body.Length;
            if (random.Next(12) == 0)
            {
                body.Append("\n\n> ").Append(Sentence(random)).Append("\n\n");
            }

            body.Append(Paragraph(random, Math.Min(remaining, random.Next(180, 520))));
            if (body.Length < length)
            {
                body.Append("\n\n");
            }
        }

        if (random.Next(10) == 0)
        {
            var link = Links[random.Next(Links.Length)];
            body.Append(" See [this piece](").Append(link).Append(").");
        }

        return body.ToString();
    }

    private static string Paragraph(Random random, int length)
    {
        var paragraph = new StringBuilder(length + 120);
        while (paragraph.Length < length)
        {
            paragraph.Append(Sentence(random)).Append(' ');
        }

        return paragraph.ToString().TrimEnd();
    }

    private static string Sentence(Random random)
    {
        var count = random.Next(6, 20);
        var sentence = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var word = Words[random.Next(Words.Length)];
            if (i == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }
            else if (random.Next(40) == 0)
            {
                word = random.Next(3) == 0 ? $"**{word}**" : $"*{word}*";
            }

            sentence.Append(i == 0 ? "" : " ").Append(word);
        }

        return sentence.Append(random.Next(8) == 0 ? '?' : '.').ToString();
    }
}
