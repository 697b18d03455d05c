using System.IO.Compression;

namespace CharTransformer;

/// <summary>The text as token ids, its alphabet, and the split: the last 10 % is for validation.</summary>
public sealed class Corpus
{
    private Corpus(string alphabet, int[] train, int[] validation)
    {
        Alphabet = alphabet;
        Train = train;
        Validation = validation;
    }

    /// <summary>The distinct characters, sorted; a token is an index into it.</summary>
    public string Alphabet { get; }

    /// <summary>The first 90 % of the text.</summary>
    public int[] Train { get; }

    /// <summary>The last 10 %.</summary>
    public int[] Validation { get; }

    /// <summary>Where the sample's text lies, next to the executable.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "kjv-slice.txt.gz");

    /// <summary>Reads the gzip-compressed text.</summary>
    public static Corpus Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        string text = reader.ReadToEnd();
        string alphabet = new(text.Distinct().Order().ToArray());
        var index = alphabet.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        int[] tokens = text.Select(c => index[c]).ToArray();
        int cut = tokens.Length * 9 / 10;
        return new Corpus(alphabet, tokens[..cut], tokens[cut..]);
    }

    /// <summary>The characters of <paramref name="tokens"/>.</summary>
    public string Text(IEnumerable<int> tokens) => new(tokens.Select(t => Alphabet[t]).ToArray());

    /// <summary>
    /// The bigram baseline: P(b | a) from the training counts with add-one smoothing, and its
    /// cross-entropy on the validation text in bits per character.
    /// </summary>
    public double BigramBitsPerCharacter()
    {
        int v = Alphabet.Length;
        var counts = new double[v, v];
        var totals = new double[v];
        for (int i = 0; i + 1 < Train.Length; i++)
        {
            counts[Train[i], Train[i + 1]]++;
            totals[Train[i]]++;
        }

        double bits = 0;
        for (int i = 0; i + 1 < Validation.Length; i++)
        {
            int a = Validation[i], b = Validation[i + 1];
            bits -= Math.Log2((counts[a, b] + 1) / (totals[a] + v));
        }

        return bits / (Validation.Length - 1);
    }
}
