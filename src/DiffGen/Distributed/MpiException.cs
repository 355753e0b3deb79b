using System;

namespace DiffGen.Distributed;

/// <summary>An MPI call returned an error; the message has MPI's own text for it.</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and MPI's description of the error.</param>
    /// <param name="errorCode">The MPI error code.</param>
    public MpiException(string message, int errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The MPI error code.</summary>
    public int ErrorCode { get; }
}
