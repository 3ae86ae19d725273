using XmrEngine.Kernels;

namespace XmrEngine.Training;

/// <summary>
/// <c>SolverParameters.From(options)</c>: the kernels' <see cref="SolverParameters"/> cannot name
/// <see cref="XLinearTrainOptions"/> (Kernels sits below Training), so the factory lives here.
/// </summary>
internal static class SolverParametersExtensions
{
    extension(SolverParameters)
    {
        /// <summary>The numbers one node's solve needs, copied out of <paramref name="o"/>.</summary>
        public static SolverParameters From(XLinearTrainOptions o) => new(o.Solver, o.Cp, o.Cn, o.Eps, o.MaxIterations, o.Bias);
    }
}
