using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>Second order: whether F has it, FHessianVectorProduct and FHessian.</summary>
public static partial class ProgramChecker
{
    /// <summary>
    /// F has FHessianVectorProduct exactly when its backward sweep differentiates no call (<see cref="Activity"/>) and it has
    /// no region: AGG0020 is reported, once, at such a call; AGG0035, once, at the first for loop; AGG0038, once, at the first
    /// branch of a method without loops (an if always; a ?: only when it reads a differentiated value, else it is a
    /// constant). FHessian exactly when F has second order and differentiates only vectors and scalars.
    /// </summary>
    private static string? CheckSecondOrderPresence(Type type, RandomProgram program, IReadOnlyList<Diagnostic> infos, CheckCounts counts)
    {
        var product = Allocating(type, "FHessianVectorProduct");
        var dense = Allocating(type, "FHessian");
        var calls = Activity.DifferentiatedCalls(program);
        var message = CheckCallDiagnostic(calls, infos.Where(d => d.Id == "AGG0020").ToList());
        if (message is not null)
        {
            return message;
        }
        var loops = infos.Where(d => d.Id == "AGG0035").ToList();
        var branches = infos.Where(d => d.Id == "AGG0038").ToList();
        bool branchRegion = !program.HasLoop && (program.HasIf || (program.HasConditional && branches.Count > 0));
        message = Expect(loops, program.HasLoop ? 1 : 0, new[] { "for" }, "FHessianVectorProduct and FHessian are not generated for a method with a loop", "a for loop")
            ?? Expect(branches, branchRegion ? 1 : 0, new[] { "if", "?", ":" }, "FHessianVectorProduct and FHessian are not generated for a method with a branch",
                "an if (or a ?: that reads a differentiated value) and no loop");
        if (message is not null)
        {
            return message;
        }
        if (calls.Count > 0 || program.HasLoop || branchRegion)
        {
            if (product is not null || dense is not null)
            {
                return "FHessianVectorProduct or FHessian generated, though F " + (calls.Count > 0 ? "differentiates the call " + calls[0] : program.HasLoop ? "has a loop" : "has a branch");
            }
            counts.NoSecondOrder += calls.Count > 0 ? 1 : 0;
            counts.NoSecondOrderLoop += program.HasLoop ? 1 : 0;
            counts.NoSecondOrderBranch += branchRegion ? 1 : 0;
            return null;
        }
        if (program.HasConditional)
        {
            counts.ConstantConditionals++;
        }
        if (product is null)
        {
            return "no FHessianVectorProduct (and no AGG0020, AGG0035 or AGG0038), though F differentiates no call and has no region";
        }
        bool vectorsOnly = program.Parameters.Where(p => !p.NoGradient).All(p => p.Kind != "M");
        if ((dense is not null) != vectorsOnly)
        {
            return vectorsOnly ? "no FHessian, though every differentiated parameter is a vector or scalar" : "FHessian generated, though F differentiates a matrix";
        }
        counts.WithHessian += vectorsOnly ? 1 : 0;
        return null;
    }

    /// <summary>One AGG0020 at one of the differentiated calls when there are any, none otherwise.</summary>
    private static string? CheckCallDiagnostic(IReadOnlyList<string> calls, IReadOnlyList<Diagnostic> noSecondOrder)
    {
        if (calls.Count == 0)
        {
            return noSecondOrder.Count == 0 ? null
                : $"AGG0020 ({noSecondOrder[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture)}), though the backward sweep differentiates no call";
        }
        if (noSecondOrder.Count != 1)
        {
            return $"expected one AGG0020 (the backward sweep differentiates {string.Join(", ", calls)}), got {noSecondOrder.Count}";
        }
        var location = noSecondOrder[0].Location;
        var at = location.SourceTree!.GetText().ToString(location.SourceSpan);
        var text = noSecondOrder[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return calls.Contains(at) && text.StartsWith("FHessianVectorProduct and FHessian are not generated", StringComparison.Ordinal) ? null
            : $"AGG0020 at '{at}': {text}\nexpected for F at one of the differentiated calls {string.Join(", ", calls)}";
    }

    /// <summary><paramref name="count"/> diagnostics, at one of the tokens <paramref name="at"/> and with that message.</summary>
    private static string? Expect(IReadOnlyList<Diagnostic> diagnostics, int count, string[] at, string starts, string why)
    {
        if (diagnostics.Count != count)
        {
            return $"{diagnostics.Count} {(diagnostics.FirstOrDefault()?.Id ?? "info diagnostics")} reported, expected {count} ({why}: {(count == 1 ? "yes" : "no")})";
        }
        if (count == 0)
        {
            return null;
        }
        var location = diagnostics[0].Location;
        var text = location.SourceTree!.GetText().ToString(location.SourceSpan);
        var message = diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return at.Contains(text) && message.StartsWith(starts, StringComparison.Ordinal) ? null
            : $"{diagnostics[0].Id} at '{text}' (expected one of {string.Join(", ", at)}): {message}";
    }

    /// <summary>
    /// FHessianVectorProduct(inputs, v…, out d…, out hv…), when F has it: its value and gradients against FWithGradient's,
    /// hv against (∇f(x + h v) − ∇f(x − h v)) / 2h, and symmetry ⟨u, H v⟩ = ⟨v, H u⟩; then FHessian when F has it.
    /// </summary>
    private static string? CheckSecondOrder(Type type, RandomProgram program, MethodInfo withGradient, object[] inputs, int[] differentiated,
        double value, object[] gradients, Random random, CheckCounts counts)
    {
        var product = Allocating(type, "FHessianVectorProduct");
        if (product is null)
        {
            return null; // AGG0020, checked by CheckSecondOrderPresence
        }
        var names = differentiated.Select(i => program.Parameters[i].Name).ToArray();
        var signature = string.Join(", ", product.GetParameters().Skip(inputs.Length).Select(p => (p.IsOut ? "out " : "") + p.Name));
        var expected = string.Join(", ", names.Select(n => "v" + n).Concat(names.Select(n => "out d" + n)).Concat(names.Select(n => "out hv" + n)));
        if (signature != expected)
        {
            return $"FHessianVectorProduct takes F's parameters, then ({signature}); expected ({expected})";
        }
        var v = differentiated.Select(i => RandomLike(inputs[i], random)).ToArray();
        var (productValue, productGradients, hv) = Product(product, inputs, v);
        var message = Compare(counts, "second order's value and ∇ vs FWithGradient's", "FHessianVectorProduct's value", new[] { productValue }, new[] { value }, Same, "F's")
            ?? SameGradients(counts, "FHessianVectorProduct", names, productGradients, gradients);
        if (message is not null)
        {
            return message;
        }
        double roundOff = RoundOff(gradients.Max(g => MaxAbs(Flatten(g))), Step);
        var plus = Gradients(withGradient, Shifted(inputs, differentiated, v, Step), names.Length);
        var minus = Gradients(withGradient, Shifted(inputs, differentiated, v, -Step), names.Length);
        for (int k = 0; k < names.Length; k++)
        {
            var p = Flatten(plus[k]);
            var m = Flatten(minus[k]);
            message = Compare(counts, "FHessianVectorProduct vs finite differences of ∇", "hv" + names[k], Flatten(hv[k]),
                p.Select((pi, i) => (pi - m[i]) / (2 * Step)).ToArray(), Tolerance, "numeric", roundOff);
            if (message is not null)
            {
                return message;
            }
        }
        var u = differentiated.Select(i => RandomLike(inputs[i], random)).ToArray();
        var (_, _, hu) = Product(product, inputs, u);
        double uHv = 0, vHu = 0, uHvMagnitude = 0, vHuMagnitude = 0;
        for (int k = 0; k < names.Length; k++)
        {
            uHv += Inner(u[k], hv[k]);
            vHu += Inner(v[k], hu[k]);
            uHvMagnitude += AbsoluteInner(u[k], hv[k]);
            vHuMagnitude += AbsoluteInner(v[k], hu[k]);
        }
        message = CompareIdentity(counts, "FHessianVectorProduct symmetry ⟨u, H v⟩ = ⟨v, H u⟩", uHv, vHu, Math.Max(uHvMagnitude, vHuMagnitude));
        if (message is not null)
        {
            return message;
        }
        counts.HessianVectorProducts++;
        var dense = Allocating(type, "FHessian");
        return dense is null ? null : CheckHessian(dense, product, inputs, differentiated, names, value, gradients, random, counts);
    }

    /// <summary>
    /// FHessian(inputs, out d…, out hessian): value and gradients against FWithGradient's, n × n for the n entries of the
    /// differentiated parameters, H = Hᵀ, and two random columns against FHessianVectorProduct along eⱼ (the cost stays bounded).
    /// </summary>
    private static string? CheckHessian(MethodInfo dense, MethodInfo product, object[] inputs, int[] differentiated, string[] names,
        double value, object[] gradients, Random random, CheckCounts counts)
    {
        var args = inputs.Concat(new object?[names.Length + 1]).ToArray();
        double denseValue = (double)dense.Invoke(null, args)!;
        var message = Compare(counts, "second order's value and ∇ vs FWithGradient's", "FHessian's value", new[] { denseValue }, new[] { value }, Same, "F's")
            ?? SameGradients(counts, "FHessian", names, args.Skip(inputs.Length).Take(names.Length).Select(g => g!).ToArray(), gradients);
        if (message is not null)
        {
            return message;
        }
        var hessian = (Matrix<double>)args[^1]!;
        var sizes = differentiated.Select(i => Flatten(inputs[i]).Length).ToArray();
        int n = sizes.Sum();
        if (hessian.Rows != n || hessian.Cols != n)
        {
            return $"FHessian is {hessian.Rows} × {hessian.Cols}, expected {n} × {n}";
        }
        var transposed = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                transposed[(i * n) + j] = hessian[j, i];
            }
        }
        message = Compare(counts, "FHessian symmetry and columns vs FHessianVectorProduct", "FHessian against its transpose", Flatten(hessian), transposed, Identity, "transpose");
        if (message is not null)
        {
            return message;
        }
        foreach (var j in Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(2))
        {
            var (_, _, column) = Product(product, inputs, UnitDirection(inputs, differentiated, sizes, j));
            message = Compare(counts, "FHessian symmetry and columns vs FHessianVectorProduct", "FHessian's column " + j,
                Enumerable.Range(0, n).Select(i => hessian[i, j]).ToArray(), column.SelectMany(Flatten).ToArray(), Identity, "hv along e" + j);
            if (message is not null)
            {
                return message;
            }
        }
        counts.Hessians++;
        return null;
    }

    private static string? SameGradients(CheckCounts counts, string method, string[] names, object[] got, object[] want)
    {
        for (int k = 0; k < names.Length; k++)
        {
            var message = Compare(counts, "second order's value and ∇ vs FWithGradient's", method + "'s d" + names[k], Flatten(got[k]), Flatten(want[k]), Same, "FWithGradient's");
            if (message is not null)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>FHessianVectorProduct along <paramref name="directions"/>: its value, gradients and products.</summary>
    private static (double Value, object[] Gradients, object[] Products) Product(MethodInfo product, object[] inputs, object[] directions)
    {
        int k = directions.Length;
        var args = inputs.Concat(directions).Concat(new object?[2 * k]).ToArray();
        double value = (double)product.Invoke(null, args)!;
        int first = inputs.Length + k;
        return (value, args.Skip(first).Take(k).Select(g => g!).ToArray(), args.Skip(first + k).Select(g => g!).ToArray());
    }

    /// <summary>FWithGradient's gradients at <paramref name="at"/>.</summary>
    private static object[] Gradients(MethodInfo withGradient, object[] at, int count)
    {
        var args = at.Concat(new object?[count]).ToArray();
        withGradient.Invoke(null, args);
        return args.Skip(at.Length).Select(g => g!).ToArray();
    }

    /// <summary>The direction eⱼ of the concatenated differentiated parameters, split into one value per parameter.</summary>
    private static object[] UnitDirection(object[] inputs, int[] differentiated, int[] sizes, int j)
    {
        var result = new object[differentiated.Length];
        for (int k = 0, offset = 0; k < differentiated.Length; offset += sizes[k], k++)
        {
            var flat = new double[sizes[k]];
            if (j >= offset && j < offset + sizes[k])
            {
                flat[j - offset] = 1;
            }
            result[k] = Rebuild(inputs[differentiated[k]], flat);
        }
        return result;
    }
}
