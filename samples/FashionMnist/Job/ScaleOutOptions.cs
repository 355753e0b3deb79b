using System;
using System.Globalization;

namespace FashionMnist.Job;

/// <summary>The main job's options for training on several cores and machines, with checkpoints (docs/distributed.md).</summary>
public sealed record ScaleOutOptions
{
    public const string Usage = """

        Scale-out (docs/distributed.md):
          --distributed           one rank of an MPI job: mpirun -np N dotnet FashionMnist.dll --distributed …
          --threads N             shards of each batch computed on N threads (default 1)
          --checkpoint PATH       checkpoint file (default OUT/checkpoint.dgck), written by rank 0 at every epoch end
          --checkpoint-every N    also every N optimizer steps
          --resume                continue from the checkpoint (start afresh if there is none)
          --collective-timeout S  abort every rank when an MPI operation in training waits longer than S seconds
                                  (default 60; start-up and data loading may take up to 5 minutes)
          --bucket-kib N          gradient all-reduce bucket size in KiB (default 1024)
        """;

    public bool Distributed { get; init; }

    public int Threads { get; init; } = 1;

    public string? CheckpointPath { get; init; }

    public int CheckpointEvery { get; init; }

    public bool Resume { get; init; }

    public double CollectiveTimeoutSeconds { get; init; } = 60;

    public int BucketKib { get; init; } = 1024;

    /// <summary>Whether the data-parallel trainer (with checkpoints) runs instead of the plain one.</summary>
    public bool Enabled => Distributed || Threads > 1 || CheckpointEvery > 0 || Resume || CheckpointPath is not null;

    public static bool Handles(string option) => option is "--distributed" or "--threads" or "--checkpoint" or "--checkpoint-every"
        or "--resume" or "--collective-timeout" or "--bucket-kib";

    /// <summary>Applies <paramref name="option"/>, taking its value from <paramref name="next"/> when it has one.</summary>
    public ScaleOutOptions With(string option, Func<string> next)
    {
        int Positive(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new ArgumentException($"Option {option} needs a positive integer, got '{text}'.");
        return option switch
        {
            "--distributed" => this with { Distributed = true },
            "--threads" => this with { Threads = Positive(next()) },
            "--checkpoint" => this with { CheckpointPath = next() },
            "--checkpoint-every" => this with { CheckpointEvery = Positive(next()) },
            "--resume" => this with { Resume = true },
            "--collective-timeout" => this with { CollectiveTimeoutSeconds = Seconds(option, next()) },
            _ => this with { BucketKib = Positive(next()) },
        };
    }

    private static double Seconds(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v : throw new ArgumentException($"Option {option} needs a positive number of seconds, got '{text}'.");
}
