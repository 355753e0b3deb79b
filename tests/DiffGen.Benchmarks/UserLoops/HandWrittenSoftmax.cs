using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>The softmax cross-entropy the hand-written classifier gradients end with.</summary>
public static class HandWrittenSoftmax
{
    /// <summary>
    /// Returns log Σₖ exp(logitsₖ) − logits[label] (the maximum subtracted first, the exponentials summed in index order
    /// as the users' loops do) and overwrites the logits with its gradient, softmax − onehot(label); the maximum cancels.
    /// </summary>
    public static T CrossEntropy<T>(Span<T> logits, int label)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max<T>(logits);
        T target = logits[label];
        T sum = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            logits[k] = T.Exp(logits[k] - max);
            sum += logits[k];
        }

        T inverse = T.One / sum;
        for (int k = 0; k < logits.Length; k++)
        {
            logits[k] = logits[k] * inverse - (k == label ? T.One : T.Zero);
        }

        return T.Log(sum) + max - target;
    }
}
