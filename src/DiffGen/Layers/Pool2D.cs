using System;

namespace DiffGen.Layers;

/// <summary>
/// The geometry of a 2-D pooling layer over square windows, <c>torch.nn.MaxPool2d(kernelSize, stride, padding)</c> or
/// <c>torch.nn.AvgPool2d(kernelSize, stride, padding)</c> applied to inputs of a given channel count, height and width
/// (NCHW, batch first): what <see cref="Ops.MaxPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/> and
/// <see cref="Ops.AvgPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/> need besides the spans. Pooling has no weights.
/// </summary>
/// <remarks>
/// As in PyTorch: max pooling never picks a padded position; average pooling counts padded zeros in the divisor
/// (<c>count_include_pad=True</c>); windows are floor-sized (<c>ceil_mode=False</c>). A <c>default</c> value has no
/// valid geometry; the ops reject it.
/// </remarks>
public readonly struct Pool2D
{
    /// <summary>Checks and stores the geometry.</summary>
    /// <param name="channels">Channels of the input (and of the output).</param>
    /// <param name="inputHeight">Height of each input image.</param>
    /// <param name="inputWidth">Width of each input image.</param>
    /// <param name="kernelSize">Side of the square window.</param>
    /// <param name="stride">Step between windows; 0 (the default) means <paramref name="kernelSize"/>, as in PyTorch.</param>
    /// <param name="padding">Padding on every side; at most half the kernel, as PyTorch requires.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, stride is negative, or padding is negative or more than half the kernel.</exception>
    public Pool2D(int channels, int inputHeight, int inputWidth, int kernelSize, int stride = 0, int padding = 0)
    {
        Channels = Geometry.Positive(channels, nameof(channels));
        InputHeight = Geometry.Positive(inputHeight, nameof(inputHeight));
        InputWidth = Geometry.Positive(inputWidth, nameof(inputWidth));
        KernelSize = Geometry.Positive(kernelSize, nameof(kernelSize));
        Stride = stride == 0 ? kernelSize : Geometry.Positive(stride, nameof(stride));
        Padding = Geometry.NotNegative(padding, nameof(padding));
        if (2 * padding > kernelSize)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"padding must be at most half the kernel ({kernelSize}).");
        }

        OutputHeight = Geometry.OutputSize(inputHeight, kernelSize, Stride, padding, nameof(inputHeight));
        OutputWidth = Geometry.OutputSize(inputWidth, kernelSize, Stride, padding, nameof(inputWidth));
    }

    /// <summary>Channels of the input and of the output.</summary>
    public int Channels { get; }

    /// <summary>Height of each input image.</summary>
    public int InputHeight { get; }

    /// <summary>Width of each input image.</summary>
    public int InputWidth { get; }

    /// <summary>Side of the square window.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Height of each output image: ⌊(H + 2·padding − k) / stride⌋ + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>Width of each output image: ⌊(W + 2·padding − k) / stride⌋ + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of one input image, C·H·W.</summary>
    public int InputSize => Channels * InputHeight * InputWidth;

    /// <summary>Elements of one output image, C·OutputHeight·OutputWidth: what <c>Flatten</c> hands to a linear layer.</summary>
    public int OutputSize => Channels * OutputHeight * OutputWidth;
}
