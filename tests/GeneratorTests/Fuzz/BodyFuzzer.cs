using System.Text.RegularExpressions;

namespace AutoGradGen.GeneratorTests.Fuzz;

/// <summary>
/// Makes method bodies for the fuzzer: a seed from <see cref="BodyCorpus"/>, then 0–4 token-level
/// mutations (delete, duplicate, swap, insert, truncate, splice in another body), so that both
/// well-formed and malformed syntax reach the generator.
/// </summary>
public sealed class BodyFuzzer(int seed)
{
    /// <summary>The fixed signature every fuzzed method has; the bodies use these names.</summary>
    public const string Signature = "public static double F(Matrix<double> A, Matrix<double> S, Vector<double> x, Vector<double> y, double s)";

    private static readonly Regex TokenPattern = new(@"[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?|\S", RegexOptions.Compiled);

    private readonly Random _random = new(seed);

    public string Next()
    {
        var body = Seed();
        int mutations = _random.Next(5);
        for (int i = 0; i < mutations; i++)
        {
            body = Mutate(body);
        }
        return body;
    }

    private string Seed() => _random.Next(3) switch
    {
        0 => Pick(BodyCorpus.Valid),
        1 => Pick(BodyCorpus.Statements),
        _ => "return " + Pick(BodyCorpus.Expressions) + ";",
    };

    private string Pick(string[] items) => items[_random.Next(items.Length)];

    private string Mutate(string body)
    {
        var tokens = TokenPattern.Matches(body).Select(m => m.Value).ToList();
        if (tokens.Count == 0)
        {
            return Pick(BodyCorpus.Tokens);
        }
        int at = _random.Next(tokens.Count);
        switch (_random.Next(7))
        {
            case 0:
                tokens.RemoveAt(at);
                break;
            case 1:
                tokens.Insert(at, tokens[at]);
                break;
            case 2:
                int other = _random.Next(tokens.Count);
                (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                break;
            case 3:
                tokens.Insert(at, Pick(BodyCorpus.Tokens));
                break;
            case 4:
                tokens.RemoveRange(at, tokens.Count - at);
                break;
            case 5:
                tokens.Insert(at, Seed());
                break;
            default:
                tokens[at] = Pick(BodyCorpus.Tokens);
                break;
        }
        return string.Join(" ", tokens);
    }
}
