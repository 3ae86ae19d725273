namespace XmrEngine.Kernels;

/// <summary>An MKL sparse BLAS call returned a status other than SPARSE_STATUS_SUCCESS.</summary>
public sealed class MklException : Exception
{
    /// <summary>Creates the exception for one failed call.</summary>
    /// <param name="function">The MKL function, e.g. <c>mkl_sparse_sp2m</c>.</param>
    /// <param name="status">What it returned.</param>
    public MklException(string function, MklStatus status)
        : base($"{function} failed with {StatusName(status)} ({(int)status}).")
    {
        Function = function;
        Status = status;
    }

    /// <summary>The MKL function that failed.</summary>
    public string Function { get; }

    /// <summary>The status it returned.</summary>
    public MklStatus Status { get; }

    /// <summary>Throws <see cref="MklException"/> unless <paramref name="status"/> is success.</summary>
    internal static void Check(MklStatus status, string function)
    {
        if (status != MklStatus.Success) throw new MklException(function, status);
    }

    private static string StatusName(MklStatus status) => status switch
    {
        MklStatus.Success => "SPARSE_STATUS_SUCCESS",
        MklStatus.NotInitialized => "SPARSE_STATUS_NOT_INITIALIZED",
        MklStatus.AllocFailed => "SPARSE_STATUS_ALLOC_FAILED",
        MklStatus.InvalidValue => "SPARSE_STATUS_INVALID_VALUE",
        MklStatus.ExecutionFailed => "SPARSE_STATUS_EXECUTION_FAILED",
        MklStatus.InternalError => "SPARSE_STATUS_INTERNAL_ERROR",
        MklStatus.NotSupported => "SPARSE_STATUS_NOT_SUPPORTED",
        _ => "an unknown sparse_status_t",
    };
}
