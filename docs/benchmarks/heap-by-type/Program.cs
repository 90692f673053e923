using Graphs;

// Exact totals per type of a .gcdump: the first line is the whole heap, then one line per type, largest first.
// dotnet run -c Release --project docs/benchmarks/heap-by-type -- /tmp/c2000.gcdump
var graph = new GCHeapDump(args[0]).MemoryGraph;
var totals = new Dictionary<string, (long Bytes, long Objects)>();
var node = graph.AllocNodeStorage();
var type = graph.AllocTypeNodeStorage();
long heap = 0;
for (NodeIndex index = 0; index < graph.NodeIndexLimit; index++)
{
    var current = graph.GetNode(index, node);
    if (current.Size == 0)
    {
        continue;
    }

    var name = current.GetType(type).Name;
    totals.TryGetValue(name, out var total);
    totals[name] = (total.Bytes + current.Size, total.Objects + 1);
    heap += current.Size;
}

Console.WriteLine($"{heap}\tTOTAL");
foreach (var (name, total) in totals.OrderByDescending(t => t.Value.Bytes))
{
    Console.WriteLine($"{total.Bytes}\t{total.Objects}\t{name}");
}
