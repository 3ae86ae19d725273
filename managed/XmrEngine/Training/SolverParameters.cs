namespace XmrEngine.Training;

/// <summary>The numbers one node's solve needs, copied out of <see cref="XLinearTrainOptions"/>.</summary>
internal readonly record struct SolverParameters(SolverType Solver, double Cp, double Cn, double Eps, int MaxIterations, float Bias)
{
    public static SolverParameters From(XLinearTrainOptions o) => new(o.Solver, o.Cp, o.Cn, o.Eps, o.MaxIterations, o.Bias);
}
