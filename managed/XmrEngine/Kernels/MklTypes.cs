using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>MKL <c>sparse_status_t</c>: what an inspector-executor sparse BLAS call returned.</summary>
public enum MklStatus
{
    /// <summary>SPARSE_STATUS_SUCCESS: the operation was successful.</summary>
    Success = 0,

    /// <summary>SPARSE_STATUS_NOT_INITIALIZED: empty handle or matrix arrays.</summary>
    NotInitialized = 1,

    /// <summary>SPARSE_STATUS_ALLOC_FAILED: MKL could not allocate memory.</summary>
    AllocFailed = 2,

    /// <summary>SPARSE_STATUS_INVALID_VALUE: an argument was rejected.</summary>
    InvalidValue = 3,

    /// <summary>SPARSE_STATUS_EXECUTION_FAILED: the computation failed.</summary>
    ExecutionFailed = 4,

    /// <summary>SPARSE_STATUS_INTERNAL_ERROR: an error inside MKL.</summary>
    InternalError = 5,

    /// <summary>SPARSE_STATUS_NOT_SUPPORTED: the operation is not supported for these inputs.</summary>
    NotSupported = 6,
}

/// <summary>MKL <c>sparse_operation_t</c>.</summary>
internal enum MklOperation
{
    NonTranspose = 10,
    Transpose = 11,
    ConjugateTranspose = 12,
}

/// <summary>MKL <c>sparse_index_base_t</c>.</summary>
internal enum MklIndexBase
{
    Zero = 0,
    One = 1,
}

/// <summary>MKL <c>sparse_matrix_type_t</c> (only the general type is used).</summary>
internal enum MklMatrixType
{
    General = 20,
}

/// <summary>MKL <c>sparse_fill_mode_t</c>.</summary>
internal enum MklFillMode
{
    Lower = 40,
    Upper = 41,
    Full = 42,
}

/// <summary>MKL <c>sparse_diag_type_t</c>.</summary>
internal enum MklDiagType
{
    NonUnit = 50,
    Unit = 51,
}

/// <summary>MKL <c>sparse_layout_t</c> for dense operands.</summary>
internal enum MklLayout
{
    RowMajor = 101,
    ColumnMajor = 102,
}

/// <summary>MKL <c>sparse_request_t</c>: which stage of <c>mkl_sparse_sp2m</c> to run.</summary>
internal enum MklRequest
{
    FullMultiply = 90,
    NnzCount = 91,
    FinalizeMultiply = 92,
    FullMultiplyNoValues = 93,
    FinalizeMultiplyNoValues = 94,
}

/// <summary>MKL <c>struct matrix_descr</c> (three C enums, passed by value).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct MklMatrixDescriptor(MklMatrixType type, MklFillMode mode, MklDiagType diag)
{
    /// <summary>A general matrix; mode and diag are ignored by MKL for this type.</summary>
    public static MklMatrixDescriptor General => new(MklMatrixType.General, MklFillMode.Full, MklDiagType.NonUnit);

    public readonly MklMatrixType Type = type;
    public readonly MklFillMode Mode = mode;
    public readonly MklDiagType Diag = diag;
}

/// <summary>Values for <c>MKL_Set_Interface_Layer</c> and <c>MKL_Set_Threading_Layer</c> (mkl_service.h).</summary>
internal static class MklLayers
{
    public const int InterfaceLp64 = 0;
    public const int ThreadingIntel = 0;
    public const int ThreadingSequential = 1;
    public const int ThreadingGnu = 3;
}
