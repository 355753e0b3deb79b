using Xunit;

namespace DiffGen.Distributed.Tests.Mpi;

/// <summary>MPI jobs run one at a time: two at once on two cores would make the timing-based fault tests meaningless.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MpiCollection
{
    public const string Name = "MPI jobs";
}
