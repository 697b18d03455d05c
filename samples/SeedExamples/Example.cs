namespace SeedExamples;

/// <summary>One differentiated parameter: its symbol in the closed form (x, Σ), its value and the generated gradient.</summary>
internal sealed record GradientResult(string Symbol, object Parameter, object Gradient);

/// <summary>One example of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023), evaluated: what the user wrote, the inputs, and what the generated method returned.</summary>
/// <param name="Title">The heading, such as "(1) Bilinear form".</param>
/// <param name="Source">The body the user wrote.</param>
/// <param name="GeneratedMethod">The name of the generated FWithGradient method, whose [ClosedForm] lines are printed.</param>
/// <param name="Inputs">Every argument, by its C# name (constants too), for the shape line.</param>
/// <param name="Value">The value the generated method returned.</param>
/// <param name="Function">The user's own method on the same inputs: what finite differences differentiate.</param>
/// <param name="Gradients">The gradients the generated method returned, in parameter order.</param>
internal sealed record Example(
    string Title,
    string Source,
    string GeneratedMethod,
    IReadOnlyList<(string Name, object Value)> Inputs,
    double Value,
    Func<double> Function,
    IReadOnlyList<GradientResult> Gradients);
