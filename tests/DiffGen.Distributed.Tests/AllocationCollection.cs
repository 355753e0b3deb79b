using Xunit;

namespace DiffGen.Distributed.Tests;

/// <summary>Tests that count the whole process's allocations run alone, so that no other test's allocations are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation counts";
}
