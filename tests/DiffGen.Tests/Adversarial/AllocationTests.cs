using System;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>After the warm-up call, attacks (every step of them) and the adversarial-training helper allocate nothing.</summary>
public sealed class AllocationTests
{
    private const int Features = 37; // SIMD bodies and scalar tails
    private const int Rows = 16;

    public static TheoryData<string> AttackNames => ["FGSM", "BIM", "PGD-Linf-random", "PGD-L2-random", "MI-FGSM"];

    private static AdversarialAttack Create(string name, InputGradient gradient) => name switch
    {
        "FGSM" => new Fgsm(gradient, Features, new FgsmOptions { Epsilon = 0.1f }),
        "BIM" => new Bim(gradient, Features, new BimOptions { Epsilon = 0.1f, StepSize = 0.02f, Steps = 10 }),
        "PGD-Linf-random" => new Pgd(gradient, Features, new PgdOptions { Epsilon = 0.1f, StepSize = 0.02f, Steps = 10, RandomStart = true, Seed = 7 }),
        "PGD-L2-random" => new Pgd(gradient, Features, new PgdOptions { Norm = Norm.L2, Epsilon = 0.5f, StepSize = 0.1f, Steps = 10, RandomStart = true, Seed = 7 }),
        "MI-FGSM" => new MomentumIfgsm(gradient, Features, new MomentumIfgsmOptions { Epsilon = 0.1f, StepSize = 0.02f, Steps = 10 }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (SoftmaxRegression Model, float[] X, int[] Labels) Data()
    {
        var random = new Random(11);
        var model = SoftmaxRegression.Random(Features, 5, random);
        var x = new float[Rows * Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        var labels = new int[Rows];
        for (int r = 0; r < Rows; r++)
        {
            labels[r] = random.Next(5);
        }

        return (model, x, labels);
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Perturb_AfterWarmUp_AllocatesZeroBytes(string name)
    {
        var (model, x, labels) = Data();
        AdversarialAttack attack = Create(name, model.InputGradient);
        var adversarial = new float[x.Length];
        attack.Perturb(x, labels, adversarial); // warm-up: grows the workspace, JIT
        attack.Perturb(x.AsSpan(0, 3 * Features), labels.AsSpan(0, 3), adversarial.AsSpan(0, 3 * Features)); // a smaller batch reuses it

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 5; call++)
        {
            attack.Perturb(x, labels, adversarial);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AdversarialTraining_CreateBatch_AfterWarmUp_AllocatesZeroBytes()
    {
        var (model, x, labels) = Data();
        var training = new AdversarialTraining(Create("PGD-Linf-random", model.InputGradient), adversarialFraction: 0.5f);
        var batch = new float[x.Length];
        training.CreateBatch(x, labels, batch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 5; call++)
        {
            training.CreateBatch(x, labels, batch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SharedWorkspace_PreSized_AllocatesNothingOnFirstCall()
    {
        var (model, x, labels) = Data();
        var workspace = new AttackWorkspace(x.Length, Features);
        var fgsm = new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f }, workspace);
        var bim = new Bim(model.InputGradient, Features, new BimOptions { Epsilon = 0.1f, StepSize = 0.02f, Steps = 3 }, workspace);
        var adversarial = new float[x.Length];
        // JIT warm-up on another instance so that only this workspace's behaviour is measured.
        new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f }).Perturb(x, labels, adversarial);
        new Bim(model.InputGradient, Features, new BimOptions { Epsilon = 0.1f, StepSize = 0.02f, Steps = 3 }).Perturb(x, labels, adversarial);

        long before = GC.GetAllocatedBytesForCurrentThread();
        fgsm.Perturb(x, labels, adversarial);
        bim.Perturb(x, labels, adversarial);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(workspace, fgsm.Workspace);
        Assert.True(workspace.Capacity >= x.Length);
    }
}
