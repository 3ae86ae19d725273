namespace XmrEngine.Kernels;

/// <summary>The numbers one node's solve needs, copied out of <see cref="Training.XLinearTrainOptions"/> (<c>SolverParameters.From</c>, in Training).</summary>
internal readonly record struct SolverParameters(SolverType Solver, double Cp, double Cn, double Eps, int MaxIterations, float Bias);
