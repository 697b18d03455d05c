using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Calls to a method with a custom [Pullback]: the user's method for the value, the user's pullback in the
    /// backward sweep (it ADDS seedᵀ·J into zeroed buffers, or straight into a caller-owned gradient buffer), and the
    /// user's [Differential] in forward mode. In the workspace forms the buffers are workspace slots, so nothing is
    /// allocated beyond what the user's own methods allocate.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>The value: the user's method itself, in every flavour (it has no workspace).</summary>
        private string CustomCallCode(IrNode node)
            => node.Callee!.ContainingType + "." + node.Callee.Name + "(" + string.Join(", ", node.Args.Select(ValueCode)) + ")";

        /// <summary>
        /// <c>FPullback(args…, value, seed, d…)</c>: one buffer per differentiated parameter, zeroed (the pullback adds);
        /// null for a matrix or vector gradient nobody needs; a parameter's own buffer when it is the first to write it.
        /// </summary>
        private void WriteCustomPullbackCall(IrNode node, PullbackCall call, HashSet<int> used)
        {
            var callee = node.Callee!;
            var buffers = new List<string>();
            var handed = new HashSet<int>();
            for (int k = 0; k < call.Outputs.Count; k++)
            {
                var argument = node.Args[callee.Differentiated[k]];
                var output = call.Outputs[k];
                bool needed = used.Contains(output.Id);
                var direct = needed && handed.Add(argument) ? CustomDirectBuffer(argument, output) : null;
                buffers.Add(direct ?? ZeroBuffer(_names.Temp(output), argument, needed, zeroed: true));
            }
            var args = node.Args.Select(ValueCode)
                .Append(ValueCode(node.Id))
                .Append(_code.Print(Prepare(new Adj(node.Id, node.Kind))))
                .Concat(buffers);
            _w.Line(callee.ContainingType + "." + callee.Pullback + "(" + string.Join(", ", args) + ");   // adds " +
                    _math.Print(new Adj(node.Id, node.Kind)) + "ᵀ J into each buffer");
        }

        /// <summary>
        /// In FBackward, a parameter's gradient buffer goes to the pullback itself, which adds its share: cleared first when
        /// this is the buffer's first write and <c>accumulate</c> is false; as it is when earlier steps already wrote it.
        /// Null (the caller does not want that gradient) is passed on: the pullback then skips it.
        /// </summary>
        private string? CustomDirectBuffer(int argument, Tmp output)
        {
            var target = Model.Nodes[argument];
            if (_workspace is null || target.Op != Op.Parameter || target.Kind == ValueKind.Scalar || !_plan.Varied[argument])
            {
                return null;
            }
            var buffer = _names.Out(argument);
            if (_started.Add(argument))
            {
                _w.Line("if (!accumulate && " + buffer + " is not null) " + Linear + ".Zero(" + buffer + ");   // the pullback adds into " + buffer);
            }
            _direct.Add(output.Id);
            return buffer;
        }

        /// <summary>Forward mode: the value, then <c>∂y = FDifferential(args…, value, ∂args…)</c>, the user's rule.</summary>
        private void WriteCustomDifferential(IrNode node)
        {
            var callee = node.Callee!;
            if (callee.Differential is null)
            {
                // Only second order gets here (FDifferential is not generated, AGG0030): none through this call.
                throw new NoSecondOrderRuleException(Op.Call);
            }
            WriteForward(node);
            var differentials = callee.Differentiated.Select(i => HasTangent(node.Args[i])
                ? _code.Print(ResolveTangent(new Dif(node.Args[i], Model.Nodes[node.Args[i]].Kind)))
                : ZeroLike(node.Args[i])).ToList();
            var args = node.Args.Select(ValueCode).Append(ValueCode(node.Id)).Concat(differentials);
            _w.Line("var " + TangentName(node.Id) + " = " + callee.ContainingType + "." + callee.Differential + "(" + string.Join(", ", args) +
                    ");   // ∂" + CommentName(node.Id) + ":   custom differential: " + callee.Differential);
        }
    }
}
