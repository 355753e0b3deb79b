namespace DiffGen.Optimization;

/// <summary>Where a training run stands, as a <see cref="TrainingCheckpoint"/> records it.</summary>
/// <param name="Epoch">The epoch being trained, from 1.</param>
/// <param name="Batch">The number of batches of <paramref name="Epoch"/> already applied (the next one to train).</param>
/// <param name="Step">The number of optimizer steps applied since the start of the run.</param>
/// <param name="Metadata">Free text the training loop keeps with the checkpoint (a JSON record of its settings and history, say).</param>
public sealed record TrainingProgress(int Epoch, int Batch, long Step, string Metadata = "");
