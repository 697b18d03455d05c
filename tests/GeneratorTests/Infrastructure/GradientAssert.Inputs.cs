namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// The named, ordered arguments of one call of a <c>[Differentiable]</c> method, held in double
/// (<c>double[,]</c> matrices, <c>double[]</c> vectors, <c>double</c> scalars, <c>int</c>/<c>bool</c> constants).
/// For the float variant every value is rounded to float precision when stored, so the closed form a
/// test computes in double uses exactly the inputs the float method sees.
/// Random values come from a fixed seed.
/// </summary>
public sealed class Inputs
{
    private readonly Random _rng;
    private readonly List<KeyValuePair<string, object>> _items = new();

    /// <summary>Creates an empty argument list for element type "double" or "float".</summary>
    public Inputs(string elementType, int seed = 20240611)
    {
        if (elementType is not ("double" or "float"))
        {
            throw new ArgumentException("Element type must be double or float, not " + elementType, nameof(elementType));
        }
        ElementType = elementType;
        _rng = new Random(seed);
    }

    /// <summary>"double" or "float".</summary>
    public string ElementType { get; }

    /// <summary>True for the float variant.</summary>
    public bool IsFloat => ElementType == "float";

    /// <summary>The arguments in parameter order.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Items => _items;

    /// <summary>Rounds to the element type's precision (identity in double).</summary>
    public double Round(double v) => IsFloat ? (float)v : v;

    /// <summary>A matrix with entries uniform in [lo, hi).</summary>
    public Inputs Matrix(string name, int rows, int cols, double lo = -1, double hi = 1)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = Uniform(lo, hi);
            }
        }
        return Add(name, m);
    }

    /// <summary>A matrix whose entries have magnitude in [0.2, 1.2) and random sign (away from relu's kink).</summary>
    public Inputs AwayFromZero(string name, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = Uniform(0.2, 1.2) * (_rng.Next(2) == 0 ? -1 : 1);
            }
        }
        return Add(name, m);
    }

    /// <summary>A vector whose entries have magnitude in [0.2, 1.2) and random sign.</summary>
    public Inputs AwayFromZeroVector(string name, int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = Uniform(0.2, 1.2) * (_rng.Next(2) == 0 ? -1 : 1);
        }
        return Add(name, v);
    }

    /// <summary>A scalar with magnitude in [0.2, 1.2) and random sign.</summary>
    public Inputs AwayFromZeroScalar(string name) => Add(name, Uniform(0.2, 1.2) * (_rng.Next(2) == 0 ? -1 : 1));

    /// <summary>A well-conditioned square matrix: uniform [−1, 1) plus n·I (not symmetric).</summary>
    public Inputs WellConditioned(string name, int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = Uniform(-1, 1) + (i == j ? n : 0);
            }
        }
        return Add(name, m);
    }

    /// <summary>A well-conditioned square matrix with a negative determinant (first row of random + n·I negated).</summary>
    public Inputs NegativeDeterminant(string name, int n)
    {
        WellConditioned(name, n);
        var m = M(name);
        for (int j = 0; j < n; j++)
        {
            m[0, j] = -m[0, j];
        }
        return this;
    }

    /// <summary>A vector with entries uniform in [lo, hi).</summary>
    public Inputs Vector(string name, int n, double lo = -1, double hi = 1)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = Uniform(lo, hi);
        }
        return Add(name, v);
    }

    /// <summary>A scalar uniform in [lo, hi).</summary>
    public Inputs Scalar(string name, double lo = -1, double hi = 1) => Add(name, Uniform(lo, hi));

    /// <summary>An integer constant argument.</summary>
    public Inputs Int(string name, int value) => AddRaw(name, value);

    /// <summary>A bool constant argument.</summary>
    public Inputs Bool(string name, bool value) => AddRaw(name, value);

    /// <summary>An explicit value: <c>double[,]</c>, <c>double[]</c> or <c>double</c> (rounded for float).</summary>
    public Inputs Add(string name, object value) => AddRaw(name, RoundValue(value));

    /// <summary>The matrix argument <paramref name="name"/> (the stored array: do not modify).</summary>
    public double[,] M(string name) => (double[,])Get(name);

    /// <summary>Replaces the value of argument <paramref name="name"/> (rounded to the element type), keeping its position.</summary>
    public Inputs Replace(string name, object value)
    {
        int at = _items.FindIndex(p => p.Key == name);
        _items[at] = new KeyValuePair<string, object>(name, RoundValue(value));
        return this;
    }

    /// <summary>The vector argument <paramref name="name"/> (the stored array: do not modify).</summary>
    public double[] V(string name) => (double[])Get(name);

    /// <summary>The scalar argument <paramref name="name"/>.</summary>
    public double S(string name) => (double)Get(name);

    /// <summary>The value of <paramref name="name"/>.</summary>
    public object Get(string name) =>
        _items.FirstOrDefault(p => p.Key == name).Value ?? throw new KeyNotFoundException("No input named " + name);

    /// <summary>A copy of the arguments with <paramref name="name"/> replaced by <paramref name="value"/> (no rounding).</summary>
    public List<KeyValuePair<string, object>> With(string name, object value)
        => _items.Select(p => p.Key == name ? new KeyValuePair<string, object>(name, value) : p).ToList();

    private Inputs AddRaw(string name, object value)
    {
        if (_items.Any(p => p.Key == name))
        {
            throw new ArgumentException("Duplicate input " + name, nameof(name));
        }
        _items.Add(new KeyValuePair<string, object>(name, value));
        return this;
    }

    private double Uniform(double lo, double hi) => lo + ((hi - lo) * _rng.NextDouble());

    private object RoundValue(object value)
    {
        switch (value)
        {
            case double d:
                return Round(d);
            case double[] v:
                return v.Select(Round).ToArray();
            case double[,] m:
                var r = (double[,])m.Clone();
                for (int i = 0; i < r.GetLength(0); i++)
                {
                    for (int j = 0; j < r.GetLength(1); j++)
                    {
                        r[i, j] = Round(r[i, j]);
                    }
                }
                return r;
            case int[] or string:
                return value;   // constants passed through (token ids, names)
            default:
                throw new ArgumentException("Unsupported input value " + value.GetType(), nameof(value));
        }
    }
}
