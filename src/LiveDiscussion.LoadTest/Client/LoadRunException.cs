namespace LiveDiscussion.LoadTest.Client;

/// <summary>A run cannot go on (no sign-in, no thread, no watcher connected); the message tells the operator why.</summary>
public sealed class LoadRunException(string message, Exception? inner = null) : Exception(message, inner);
