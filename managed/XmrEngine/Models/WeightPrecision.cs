namespace XmrEngine.Models;

/// <summary>
/// How a model file stores its weights. Float32 is exact; the quantised precisions trade a bounded error for
/// size, and are scored directly from the mapped file without a float copy (see docs/file-formats.md).
/// </summary>
public enum WeightPrecision
{
    /// <summary>IEEE single precision: the weights exactly as trained (the default).</summary>
    Float32 = 0,

    /// <summary>
    /// IEEE half precision (<see cref="System.Half"/>): 2 bytes a weight, relative error at most 2^-11 per weight
    /// (weights of magnitude below 2^-14 keep an absolute error of at most 2^-25).
    /// </summary>
    Float16 = 1,

    /// <summary>
    /// Signed 8-bit integers with one float scale per compiled chunk row, that is per (feature, parent): symmetric,
    /// scale = max |w| / 127 over the feature's weights for the parent's children. 1 byte a weight (plus 4 bytes a
    /// chunk row), absolute error at most max |w| / 254 of the weight's own chunk row.
    /// </summary>
    Int8 = 2,
}
