using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DiffGen.Data;
using DiffGen.Distributed;
using DiffGen.Optimization;
using FashionMnist.Model;

namespace FashionMnist.Job;

/// <summary>
/// The training loop of <see cref="Trainer"/>, data-parallel: each global batch is cut into ranks × threads equal shards
/// (<see cref="ShardedBatchLoader"/>, then <see cref="ParallelGradient{T}"/>); the shards' gradients are averaged on the
/// threads in a fixed order and over the ranks by all-reduce (<see cref="GradientAllReducer{T}"/>), so every rank applies
/// the same SGD step to the same parameters. Rank 0 writes a checkpoint at every epoch end (and every
/// <c>--checkpoint-every</c> steps); <c>--resume</c> continues from it exactly where it was written.
/// </summary>
/// <remarks>
/// Bits: a run's parameters depend on the seed, the global batch and the number of shards only — 2 ranks × 1 thread,
/// 1 rank × 2 threads give the same bits (tests/DiffGen.Distributed.Tests). One shard gives the plain trainer's bits.
/// </remarks>
public static class DataParallelTrainer
{
    /// <summary>Trains; returns the epochs trained in this run and earlier runs of it (from the checkpoint), or null when it could not start (message printed).</summary>
    public static List<EpochResult>? Train(ScaleOut scale, Network network, Dataset train, Dataset test, Options options, Action<EpochResult> report)
    {
        ScaleOutOptions so = options.ScaleOut;
        int shards = scale.Ranks * so.Threads;
        if (options.BatchSize % shards != 0)
        {
            Console.Error.WriteLine($"The batch of {options.BatchSize} does not split into {scale.Ranks} ranks × {so.Threads} threads = {shards} equal shards: use a multiple of {shards}.");
            return null;
        }

        try
        {
            var run = new Run(scale, network, train, test, options);
            return run.Execute(report);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"rank {scale.Rank}: cannot resume: {e.Message}");
            return null;
        }
        catch (Exception e) when (scale.Ranks > 1)
        {
            scale.AbortOthers($"training failed: {e}");
            throw;
        }
    }

    /// <summary>One run's state: what the cached shard delegate reads, the optimizer, and the checkpoint bookkeeping.</summary>
    private sealed class Run
    {
        private readonly ScaleOut _scale;
        private readonly Network _network;
        private readonly Dataset _test;
        private readonly Options _options;
        private readonly Sgd<float> _optimizer;
        private readonly LearningRateScheduler _scheduler;
        private readonly ShardedBatchLoader _loader;
        private readonly NetworkShard[] _workers;
        private readonly ShardGradient<float> _shardGradient;
        private readonly string _checkpointPath;
        private readonly string _runKey;
        private readonly List<EpochResult> _history = new();
        private MiniBatch _batch;
        private long _step;

        public Run(ScaleOut scale, Network network, Dataset train, Dataset test, Options options)
        {
            _scale = scale;
            _network = network;
            _test = test;
            _options = options;
            _optimizer = new Sgd<float>(network.Parameters, options.LearningRate, momentum: options.Momentum, nesterov: true);
            _scheduler = new LearningRateScheduler(_optimizer, LearningRateSchedule.Cosine(Math.Max(1, options.Epochs)));
            _loader = new ShardedBatchLoader(train, options.BatchSize, scale.Ranks, scale.Rank, options.Seed);
            int threads = options.ScaleOut.Threads;
            _workers = Enumerable.Range(0, threads).Select(_ => network.CreateShard(_loader.ShardBatchSize / threads)).ToArray();
            _shardGradient = ShardGradient;
            _checkpointPath = options.ScaleOut.CheckpointPath ?? Path.Combine(options.OutputDirectory, "checkpoint.dgck");
            _runKey = string.Create(
                CultureInfo.InvariantCulture,
                $"seed {options.Seed}, batch {options.BatchSize}, {options.Epochs} epochs, lr {options.LearningRate:R}, momentum {options.Momentum:R}, {train.Count} training images");
        }

        public List<EpochResult> Execute(Action<EpochResult> report)
        {
            MpiCommunicator? mpi = _scale.Communicator;
            (int startEpoch, int startBatch, double lossCarried) = Start(mpi);
            if (mpi is not null)
            {
                mpi.Timeout = TimeSpan.FromSeconds(_options.ScaleOut.CollectiveTimeoutSeconds); // every rank is training now
            }

            for (int e = 1; e < startEpoch; e++)
            {
                _scheduler.Step();
            }

            using var parallel = new ParallelGradient<float>(_network.Parameters, _options.ScaleOut.Threads);
            using var reducer = mpi is null ? null : new GradientAllReducer<float>(mpi, _network.Parameters, _options.ScaleOut.BucketKib * 1024);
            Span<double> metrics = stackalloc double[2];
            for (int epoch = startEpoch; epoch <= _options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                double lossSum = epoch == startEpoch ? lossCarried : 0;
                int first = epoch == startEpoch ? startBatch : 0;
                _loader.Resume(epoch, first);
                int batches = first;
                foreach (MiniBatch batch in _loader)
                {
                    _batch = batch;
                    _network.Parameters.ZeroGrad();
                    lossSum += parallel.Compute(_shardGradient);   // mean over this rank's thread shards
                    reducer?.AllReduce();                          // mean over the ranks
                    _optimizer.Step();
                    _step++;
                    batches++;
                    if (_options.ScaleOut.CheckpointEvery > 0 && _step % _options.ScaleOut.CheckpointEvery == 0 && batches < _loader.BatchCount)
                    {
                        Checkpoint(mpi, epoch, batches, lossSum);
                    }
                }

                _batch = default;
                double seconds = clock.Elapsed.TotalSeconds;
                metrics[0] = lossSum;
                metrics[1] = CorrectOnMyShareOfTheTest();
                mpi?.Reduce(metrics);
                var result = new EpochResult(
                    epoch, metrics[0] / (Math.Max(1, batches) * _scale.Ranks), metrics[1] / _test.Count, seconds,
                    (batches - first) * _options.BatchSize / Math.Max(seconds, 1e-9), _optimizer.LearningRate);
                _history.Add(result);
                if (_scale.IsReporter)
                {
                    report(result);
                }

                _scheduler.Step();
                Checkpoint(mpi, epoch + 1, 0, 0);
            }

            return _history;
        }

        private float ShardGradient(ShardGradients<float> gradients)
        {
            NetworkShard worker = _workers[gradients.Shard];
            int rows = worker.Rows, start = gradients.Shard * rows;
            return worker.Gradient(
                _batch.Features.Slice(start * _batch.FeatureCount, rows * _batch.FeatureCount), _batch.Labels.Slice(start, rows), gradients);
        }

        /// <summary>Rank r classifies its contiguous r-th part of the test set; the counts are summed on rank 0.</summary>
        private int CorrectOnMyShareOfTheTest()
        {
            int from = (int)((long)_test.Count * _scale.Rank / _scale.Ranks), to = (int)((long)_test.Count * (_scale.Rank + 1) / _scale.Ranks);
            if (to <= from)
            {
                return 0;
            }

            Dataset mine = _test.Slice(from, to - from);
            return (int)Math.Round(_network.Accuracy(mine.Features, mine.Labels) * mine.Count);
        }

        /// <summary>Broadcasts rank 0's starting point: its checkpoint when resuming and there is one, else its initial parameters.</summary>
        private (int Epoch, int Batch, double Loss) Start(MpiCommunicator? mpi)
        {
            byte[] data = [];
            if (_options.ScaleOut.Resume && _scale.IsReporter)
            {
                if (File.Exists(_checkpointPath))
                {
                    data = File.ReadAllBytes(_checkpointPath);
                }
                else
                {
                    Console.WriteLine($"No checkpoint at {_checkpointPath}: starting from the beginning.");
                }
            }

            if (mpi is not null)
            {
                Span<long> length = [data.LongLength];
                mpi.Broadcast(length);
                Array.Resize(ref data, (int)length[0]);
                mpi.Broadcast(data.AsSpan());
            }

            if (data.Length == 0)
            {
                foreach (Parameter<float> p in _network.Parameters)
                {
                    mpi?.Broadcast(p.Value);
                }

                return (1, 0, 0);
            }

            TrainingProgress progress = TrainingCheckpoint.Load(data, _checkpointPath, _network.Parameters, _optimizer);
            JsonNode meta = JsonNode.Parse(progress.Metadata) ?? new JsonObject();
            string key = (string?)meta["run"] ?? "?";
            if (key != _runKey)
            {
                throw new InvalidDataException($"Checkpoint '{_checkpointPath}' was written by another run ({key}), not this one ({_runKey}).");
            }

            foreach (JsonNode? e in meta["history"]?.AsArray() ?? [])
            {
                _history.Add(new EpochResult((int)e!["epoch"]!, (double)e["trainLoss"]!, (double)e["testAccuracy"]!, (double)e["seconds"]!, (double)e["samplesPerSecond"]!, (double)e["learningRate"]!));
            }

            _step = progress.Step;
            double loss = _scale.IsReporter ? (double?)meta["lossSum"] ?? 0 : 0; // the epoch's loss so far, summed over the ranks
            if (_scale.IsReporter)
            {
                Console.WriteLine($"Resumed from {_checkpointPath}: epoch {progress.Epoch}, batch {progress.Batch}, step {progress.Step}");
            }

            return (progress.Epoch, progress.Batch, loss);
        }

        /// <summary>Rank 0 writes where training stands (atomically); the others add their loss sums to it first.</summary>
        private void Checkpoint(MpiCommunicator? mpi, int epoch, int batch, double lossSum)
        {
            Span<double> loss = [lossSum];
            mpi?.Reduce(loss);
            if (!_scale.IsReporter)
            {
                return;
            }

            var meta = new JsonObject
            {
                ["run"] = _runKey,
                ["shards"] = $"{_scale.Ranks} ranks × {_options.ScaleOut.Threads} threads",
                ["lossSum"] = loss[0],
                ["history"] = MainJob.History(_history),
            };
            string? directory = Path.GetDirectoryName(Path.GetFullPath(_checkpointPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            TrainingCheckpoint.Save(_checkpointPath, _network.Parameters, _optimizer, new TrainingProgress(epoch, batch, _step, meta.ToJsonString()));
        }
    }
}
