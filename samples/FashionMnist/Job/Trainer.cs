using System;
using System.Collections.Generic;
using System.Diagnostics;
using DiffGen.Adversarial;
using DiffGen.Data;
using DiffGen.Optimization;
using FashionMnist.Model;

namespace FashionMnist.Job;

/// <summary>Per-epoch record of a training run.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TestAccuracy, double Seconds, double SamplesPerSecond, double LearningRate);

/// <summary>
/// The lecture's training loop, θ_{t+1} = θ_t − η Σ_{i∈S} ∇Loss(x_i, y_i, θ_t), written the way PyTorch users write it:
/// loader → zero_grad → backward (the generated gradient) → step. The loss is a batch mean, so η here is the
/// lecture's η times the batch size.
/// </summary>
public static class Trainer
{
    /// <param name="adversary">For adversarial training: the attack that makes epoch e's training examples (e from 1); null trains on clean data.</param>
    public static List<EpochResult> Train(Network network, Dataset train, Dataset test, Options options, int epochs, Func<int, AdversarialAttack>? adversary, Action<EpochResult> report)
    {
        var optimizer = new Sgd<float>(network.Parameters, options.LearningRate, momentum: options.Momentum, nesterov: true);
        var scheduler = new LearningRateScheduler(optimizer, LearningRateSchedule.Cosine(Math.Max(1, epochs)));
        var loader = new MiniBatchLoader(train, options.BatchSize, shuffle: true, seed: options.Seed, dropLast: true);
        float[] adversarialBatch = new float[options.BatchSize * Network.Inputs];
        var results = new List<EpochResult>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            AdversarialTraining? training = adversary is null ? null : new AdversarialTraining(adversary(epoch));
            double lossSum = 0;
            int batches = 0;
            foreach (MiniBatch batch in loader)
            {
                ReadOnlySpan<float> x = batch.Features;
                if (training is not null)
                {
                    // Madry-style: train on PGD examples made against the current θ.
                    Span<float> adversarial = adversarialBatch.AsSpan(0, x.Length);
                    training.CreateBatch(x, batch.Labels, adversarial);
                    x = adversarial;
                }

                network.Parameters.ZeroGrad();
                lossSum += network.AccumulateParameterGradient(x, batch.Labels);
                optimizer.Step();
                batches++;
            }

            double seconds = clock.Elapsed.TotalSeconds;
            double accuracy = network.Accuracy(test.Features, test.Labels);
            var result = new EpochResult(epoch, lossSum / Math.Max(1, batches), accuracy, seconds, batches * options.BatchSize / seconds, optimizer.LearningRate);
            results.Add(result);
            report(result);
            scheduler.Step();
        }

        return results;
    }
}
