using System;

namespace DiffGen.Layers;

/// <summary>
/// The geometry of a 2-D convolution layer, <c>torch.nn.Conv2d(inChannels, outChannels, (kernelHeight, kernelWidth),
/// stride, padding)</c> applied to inputs of a given height and width: what
/// <see cref="Ops.Conv2D(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Conv2D)"/> needs to
/// know besides the spans. Tensors are NCHW, row-major, batch first; the weight is <c>[OutChannels, InChannels,
/// KernelHeight, KernelWidth]</c> and the bias <c>[OutChannels]</c>, as in PyTorch. The weights themselves live wherever
/// the model keeps them (for example a <see cref="Optimization.Parameters{T}"/> set).
/// </summary>
/// <remarks>A <c>default</c> value has no valid geometry; the ops reject it.</remarks>
public readonly struct Conv2D
{
    /// <summary>Checks and stores the geometry.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (filters).</param>
    /// <param name="kernelHeight">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    /// <param name="inputHeight">Height of each input image.</param>
    /// <param name="inputWidth">Width of each input image.</param>
    /// <param name="stride">Step between kernel positions, in both directions.</param>
    /// <param name="padding">Zeros added on every side, in both directions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, stride is not positive, padding is negative, or the padded input is smaller than the kernel.</exception>
    public Conv2D(int inChannels, int outChannels, int kernelHeight, int kernelWidth, int inputHeight, int inputWidth, int stride = 1, int padding = 0)
    {
        InChannels = Geometry.Positive(inChannels, nameof(inChannels));
        OutChannels = Geometry.Positive(outChannels, nameof(outChannels));
        KernelHeight = Geometry.Positive(kernelHeight, nameof(kernelHeight));
        KernelWidth = Geometry.Positive(kernelWidth, nameof(kernelWidth));
        InputHeight = Geometry.Positive(inputHeight, nameof(inputHeight));
        InputWidth = Geometry.Positive(inputWidth, nameof(inputWidth));
        Stride = Geometry.Positive(stride, nameof(stride));
        Padding = Geometry.NotNegative(padding, nameof(padding));
        OutputHeight = Geometry.OutputSize(inputHeight, kernelHeight, stride, padding, nameof(inputHeight));
        OutputWidth = Geometry.OutputSize(inputWidth, kernelWidth, stride, padding, nameof(inputWidth));
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Height of each input image.</summary>
    public int InputHeight { get; }

    /// <summary>Width of each input image.</summary>
    public int InputWidth { get; }

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }

    /// <summary>Height of each output image: ⌊(H + 2·padding − kH) / stride⌋ + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>Width of each output image: ⌊(W + 2·padding − kW) / stride⌋ + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of one input image, C·H·W.</summary>
    public int InputSize => InChannels * InputHeight * InputWidth;

    /// <summary>Elements of one output image, OutChannels·OutputHeight·OutputWidth.</summary>
    public int OutputSize => OutChannels * OutputHeight * OutputWidth;

    /// <summary>Inputs of one output value, InChannels·KernelHeight·KernelWidth: the fan-in for initialisation.</summary>
    public int FanIn => InChannels * KernelHeight * KernelWidth;

    /// <summary>Elements of the weight, OutChannels·InChannels·KernelHeight·KernelWidth.</summary>
    public int WeightLength => OutChannels * FanIn;

    /// <summary>Elements of the bias, OutChannels.</summary>
    public int BiasLength => OutChannels;
}
