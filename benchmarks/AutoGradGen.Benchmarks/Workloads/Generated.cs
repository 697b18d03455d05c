using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// The generated methods of the workloads in element type <typeparamref name="T"/>: a <c>[Differentiable]</c>
/// method has one element type, so each model is written twice, in double (<c>SeedModels</c> W1–W4,
/// <see cref="Models"/> W5–W10) and in float (<see cref="FloatModels"/>), and the generic workloads reach the one
/// of their type through a delegate bound here by name.
/// </summary>
internal static class Generated<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Type[] Classes = typeof(T) == typeof(double)
        ? [typeof(SeedExamples.SeedModels), typeof(Models)]
        : typeof(T) == typeof(float) ? [typeof(FloatModels)] : throw new NotSupportedException($"no models in {typeof(T).Name}");

    /// <summary>
    /// A delegate of type <typeparamref name="TDelegate"/> that calls the generated method <paramref name="name"/>
    /// with the delegate's arguments in order; a workspace parameter gets a workspace of its own (one per
    /// delegate, that is per benchmark instance, as a workspace field would) and <c>accumulate</c> gets false
    /// (the gradient buffers are overwritten each step).
    /// </summary>
    public static TDelegate Bind<TDelegate>(string name)
        where TDelegate : Delegate
    {
        // Overloads (an allocating method and its zero-allocation twin share a name): the one whose parameters,
        // without the workspace and accumulate, are the delegate's.
        var wanted = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = Classes.SelectMany(c => c.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(m => m.Name == name && m.GetParameters()
                .Where(p => !p.ParameterType.Name.EndsWith("Workspace", StringComparison.Ordinal) && p.Name != "accumulate")
                .Select(p => p.ParameterType).SequenceEqual(wanted))
            ?? throw new MissingMethodException($"no generated method {name} taking ({string.Join(", ", wanted.Select(t => t.Name))}) in {string.Join(", ", Classes.Select(c => c.Name))}");
        var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters()
            .Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        int next = 0;
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType.Name.EndsWith("Workspace", StringComparison.Ordinal) ? Expression.Constant(Activator.CreateInstance(p.ParameterType))
            : p.Name == "accumulate" ? Expression.Constant(false)
            : (Expression)parameters[next++]).ToArray();
        if (next != parameters.Length)
        {
            throw new ArgumentException($"{typeof(TDelegate).Name} has {parameters.Length} parameters, {name} takes {next}");
        }
        return Expression.Lambda<TDelegate>(Expression.Call(method, arguments), parameters).Compile();
    }
}
