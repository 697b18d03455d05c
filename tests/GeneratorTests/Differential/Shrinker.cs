namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Shrinks a failing choice sequence, Hypothesis-style: delete runs of choices, then lower single
/// choices, keeping each change that still fails. Deterministic, so a shrunk failure is reproducible.
/// </summary>
public static class Shrinker
{
    public static int[] Shrink(int[] choices, Func<int[], bool> fails, int budget = 400)
    {
        var best = choices;
        bool improved = true;
        while (improved && budget > 0)
        {
            improved = false;
            for (int size = Math.Max(1, best.Length / 2); size >= 1 && budget > 0; size /= 2)
            {
                for (int start = 0; start + size <= best.Length && budget > 0; start++)
                {
                    var candidate = best.Take(start).Concat(best.Skip(start + size)).ToArray();
                    budget--;
                    if (fails(candidate))
                    {
                        best = candidate;
                        improved = true;
                        start--;
                    }
                }
            }
            for (int i = 0; i < best.Length && budget > 0; i++)
            {
                foreach (var smaller in new[] { 0, best[i] / 2, best[i] - 1 }.Where(v => v >= 0 && v < best[i]).Distinct())
                {
                    var candidate = (int[])best.Clone();
                    candidate[i] = smaller;
                    budget--;
                    if (fails(candidate))
                    {
                        best = candidate;
                        improved = true;
                        break;
                    }
                }
            }
        }
        return best;
    }
}
