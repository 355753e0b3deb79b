namespace DiffGen.Distributed;

/// <summary>How <see cref="MpiCommunicator.AllReduce{T}(System.Span{T}, ReduceOperation)"/> combines the ranks' values, element by element.</summary>
public enum ReduceOperation
{
    /// <summary>The sum (MPI_SUM).</summary>
    Sum,

    /// <summary>The largest value (MPI_MAX).</summary>
    Max,

    /// <summary>The smallest value (MPI_MIN).</summary>
    Min,
}
