using System.Threading;
using DiffGen.Gemm;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The per-thread GEMM buffers regrow whenever a request exceeds what is usable after alignment. The tile used to be
/// compared with its array length, which includes the alignment padding: a request up to 7 doubles longer than the last
/// one reused a tile that ended before the request did, and the narrow kernels wrote past it (heap corruption that
/// crashed the test host later, found when the convolution tests' many small products ran before MatMulTests).
/// </summary>
public class PackingBuffersTests
{
    [Fact]
    public void EveryRequest_GetsAtLeastTheUsableLengthItAskedFor()
    {
        bool ok = true;
        var thread = new Thread(() =>
        {
            // On a fresh thread: no buffers yet. Grow the tile by less than the padding each time.
            for (int length = 1; length < 200; length += 3)
            {
                ok &= PackingBuffers<double>.Get(0, 0, length).TileLength >= length;
                ok &= PackingBuffers<float>.Get(0, 0, length).TileLength >= length;
                ok &= PackingBuffers<double>.Get(length, length, 1).ALength >= length;
            }
        });
        thread.Start();
        thread.Join();
        Assert.True(ok);
    }
}
