namespace XmrEngine.Kernels;

/// <summary>Which implementation computes the hot sparse kernels.</summary>
public enum KernelBackend
{
    /// <summary>The best available backend for this machine; never fails.</summary>
    Auto,

    /// <summary>Managed code with <c>System.Runtime.Intrinsics</c> (Vector256/Vector128) paths; always available.</summary>
    Managed,

    /// <summary>Plain scalar managed code: the test oracle, slow but obviously correct.</summary>
    Reference,

    /// <summary>The C11 kernels in libxmr_native, when the library was built and loads.</summary>
    Native,

    /// <summary>Intel MKL inspector-executor sparse BLAS, when libmkl_rt loads.</summary>
    Mkl,
}
