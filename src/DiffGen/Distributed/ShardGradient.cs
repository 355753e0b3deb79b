using System.Numerics;

namespace DiffGen.Distributed;

/// <summary>
/// Computes the gradient of one shard of a batch: adds ∇θ of the shard's loss into <paramref name="gradients"/> (the
/// generated <c>…Gradient</c> method with the shard's rows and these buffers) and returns the loss.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="gradients">The shard's own buffers (zeroed); <see cref="ShardGradients{T}.Shard"/> says which shard. Any
/// thread may run any shard: keep scratch per shard.</param>
/// <returns>The shard's loss.</returns>
public delegate T ShardGradient<T>(ShardGradients<T> gradients)
    where T : unmanaged, IFloatingPointIeee754<T>;
