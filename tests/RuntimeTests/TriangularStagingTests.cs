using System.Numerics;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// <see cref="TriangularSolve.Rows{T}"/> stages a right-hand side whose rows are not on 64-byte lines in an aligned
/// copy with a padded stride. The staged solve must give the same bits as the same substitutions run in place
/// (they are the same element-wise operations in the same order), leave nothing behind, and allocate nothing
/// once the staging buffer has grown.
/// </summary>
public class TriangularStagingTests
{
    public static TheoryData<int, int> Sizes() => new()
    {
        { 8, 2 }, { 8, 17 }, { 19, 3 }, { 19, 16 }, { 33, 40 }, { 64, 100 }, { 5, 9 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void StagedSolveGivesTheBitsOfTheInPlaceSolve(int n, int width)
    {
        foreach (TriangularPair pair in Enum.GetValues<TriangularPair>())
        {
            Compare<double>(n, width, pair);
            Compare<float>(n, width, pair);
        }
    }

    [Fact]
    public void StagingAllocatesNothingInSteadyState()
    {
        var factor = Factor<float>(40, seed: 3);
        var x = Inputs.RandomArray<float>(40 * 37, seed: 4);
        TriangularSolve.Rows<float>(factor, x, 40, 37, TriangularPair.LowerUnitThenUpper);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            TriangularSolve.Rows<float>(factor, x, 40, 37, TriangularPair.UpperTransposedThenLowerUnitTransposed);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void Compare<T>(int n, int width, TriangularPair pair)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] factor = Factor<T>(n, seed: n + width);
        T[] b = Inputs.RandomArray<T>(n * width, seed: n * width);
        T[] staged = (T[])b.Clone(), inPlace = (T[])b.Clone();

        TriangularSolve.Rows<T>(factor, staged, n, width, pair);
        switch (pair)
        {
            case TriangularPair.LowerUnitThenUpper:
                TriangularSolve.LowerUnit<T>(factor, inPlace, n, width, width);
                TriangularSolve.Upper<T>(factor, inPlace, n, width, width);
                break;
            case TriangularPair.UpperTransposedThenLowerUnitTransposed:
                TriangularSolve.UpperTransposed<T>(factor, inPlace, n, width, width);
                TriangularSolve.LowerUnitTransposed<T>(factor, inPlace, n, width, width);
                break;
            default:
                TriangularSolve.UpperTransposed<T>(factor, inPlace, n, width, width);
                TriangularSolve.Upper<T>(factor, inPlace, n, width, width);
                break;
        }

        Assert.True(inPlace.AsSpan().SequenceEqual(staged), $"{typeof(T).Name} n={n} width={width} {pair}: staged bits differ");
        Assert.False(inPlace.AsSpan().SequenceEqual(b), $"{typeof(T).Name} n={n} width={width} {pair}: nothing was solved");
    }

    /// <summary>Packed factors with a dominant diagonal (well conditioned either way they are read).</summary>
    private static T[] Factor<T>(int n, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] f = Inputs.RandomArray<T>(n * n, seed, -0.5, 0.5);
        for (int i = 0; i < n; i++)
        {
            f[(i * n) + i] = T.CreateChecked(n);
        }
        return f;
    }
}
