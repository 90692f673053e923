using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// <c>EF.CompileAsyncQuery</c>, compiled once for each EF Core model it meets. A compiled query is bound to the model it
/// first ran on and refuses any other, and one process can hold two: the SQLite and the PostgreSQL context have
/// different models (the tests run apps on both stores side by side). Call sites use it exactly as EF's.
/// </summary>
public static class CompiledPerModel
{
    public static Func<TContext, Task<TResult>> Query<TContext, TResult>(Expression<Func<TContext, TResult>> query)
        where TContext : DbContext
    {
        var compiled = new ConditionalWeakTable<IModel, Func<TContext, Task<TResult>>>();
        return db =>
            (compiled.TryGetValue(db.Model, out var found) ? found : compiled.GetValue(db.Model, _ => EF.CompileAsyncQuery(query)))(db);
    }

    public static Func<TContext, TParam1, Task<TResult>> Query<TContext, TParam1, TResult>(
        Expression<Func<TContext, TParam1, TResult>> query)
        where TContext : DbContext
    {
        var compiled = new ConditionalWeakTable<IModel, Func<TContext, TParam1, Task<TResult>>>();
        return (db, p1) =>
            (compiled.TryGetValue(db.Model, out var found) ? found : compiled.GetValue(db.Model, _ => EF.CompileAsyncQuery(query)))(db, p1);
    }

    public static Func<TContext, TParam1, CancellationToken, Task<TResult>> Query<TContext, TParam1, TResult>(
        Expression<Func<TContext, TParam1, CancellationToken, TResult>> query)
        where TContext : DbContext
    {
        var compiled = new ConditionalWeakTable<IModel, Func<TContext, TParam1, CancellationToken, Task<TResult>>>();
        return (db, p1, ct) =>
            (compiled.TryGetValue(db.Model, out var found) ? found : compiled.GetValue(db.Model, _ => EF.CompileAsyncQuery(query)))(db, p1, ct);
    }

    public static Func<TContext, TParam1, TParam2, Task<TResult>> Query<TContext, TParam1, TParam2, TResult>(
        Expression<Func<TContext, TParam1, TParam2, TResult>> query)
        where TContext : DbContext
    {
        var compiled = new ConditionalWeakTable<IModel, Func<TContext, TParam1, TParam2, Task<TResult>>>();
        return (db, p1, p2) =>
            (compiled.TryGetValue(db.Model, out var found) ? found : compiled.GetValue(db.Model, _ => EF.CompileAsyncQuery(query)))(db, p1, p2);
    }

    public static Func<TContext, TParam1, TParam2, IAsyncEnumerable<TResult>> Query<TContext, TParam1, TParam2, TResult>(
        Expression<Func<TContext, TParam1, TParam2, IQueryable<TResult>>> query)
        where TContext : DbContext
    {
        var compiled = new ConditionalWeakTable<IModel, Func<TContext, TParam1, TParam2, IAsyncEnumerable<TResult>>>();
        return (db, p1, p2) =>
            (compiled.TryGetValue(db.Model, out var found) ? found : compiled.GetValue(db.Model, _ => EF.CompileAsyncQuery(query)))(db, p1, p2);
    }
}
