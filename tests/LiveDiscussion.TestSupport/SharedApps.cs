namespace LiveDiscussion.TestSupport;

/// <summary>
/// The app a test class shares (<c>IClassFixture&lt;EmptyApp&gt;</c>): started, migrated and seeded once for all of its
/// tests, on a database holding only the admin account. Its tests run one after the other but in no set order, so each
/// makes its own threads and people and asserts only on what it made.
/// </summary>
public sealed class EmptyApp() : TestApp(seedDemo: false);

/// <summary>As <see cref="EmptyApp"/>, on a database that starts with the demo thread.</summary>
public sealed class DemoApp() : TestApp(seedDemo: true);

/// <summary>As <see cref="EmptyApp"/>, on a PostgreSQL database of its own (<see cref="TestStore.Postgres"/>).</summary>
public sealed class PostgresEmptyApp() : TestApp(seedDemo: false, store: TestStore.Postgres());

/// <summary>As <see cref="DemoApp"/>, on a PostgreSQL database of its own.</summary>
public sealed class PostgresDemoApp() : TestApp(seedDemo: true, store: TestStore.Postgres());
