using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Cost-sensitive training (PECOS's relevance matrix R): each positive (instance, label) pair carries a relevance,
/// for example a click count or a relevance grade, that multiplies the cost of errors on it: the pair's solver cost
/// is <c>Cp x relevance</c> instead of <c>Cp</c>; negatives keep <c>Cn</c>. On the levels above the labels a node's
/// relevance is the sum of its labels' (<see cref="RelevanceMode.Induce"/>) or 1 (<see cref="RelevanceMode.RankerOnly"/>);
/// then each instance's row is scaled by <see cref="Norm"/>. So with one label per instance, Cp = 2 trains the model
/// that Cp = 1 with every relevance 2 trains. Immutable.
/// </summary>
public sealed class RelevanceWeights
{
    private string? _hash;

    /// <summary>Relevance of the positives of Y.</summary>
    /// <param name="values">Instances x labels with exactly Y's positives stored (PECOS: R has Y's pattern), every value
    /// finite and positive; null for 1 on every positive (PECOS's <c>induce</c> without R: upper nodes then weigh an
    /// instance by how many of its labels they hold).</param>
    /// <param name="mode">Which levels are weighted.</param>
    /// <param name="norm">How each instance's row is scaled on every level.</param>
    /// <exception cref="ArgumentException">A value is zero, negative or not finite, or an enum value is undefined.</exception>
    public RelevanceWeights(CsrMatrix? values, RelevanceMode mode = RelevanceMode.Induce, RelevanceNorm norm = RelevanceNorm.None)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{nameof(RelevanceWeights)}.{nameof(Mode)} must be Induce or RankerOnly.");
        if (!Enum.IsDefined(norm)) throw new ArgumentOutOfRangeException(nameof(norm), norm, $"{nameof(RelevanceWeights)}.{nameof(Norm)} must be None, L1, L2 or Max.");
        if (values is not null)
        {
            for (int r = 0; r < values.Rows; r++)
            {
                var row = values.Row(r);
                for (int k = 0; k < row.Values.Length; k++)
                    if (!(row.Values[k] > 0))
                        throw new ArgumentException($"Relevance of row {r}, label {row.Indices[k]} is {row.Values[k].ToString(CultureInfo.InvariantCulture)}; relevances must be positive (a pair without relevance is not a positive).", nameof(values));
            }
        }
        Values = values;
        Mode = mode;
        Norm = norm;
    }

    /// <summary>Instances x labels, Y's pattern; null for 1 on every positive.</summary>
    public CsrMatrix? Values { get; }

    /// <summary>Which levels are weighted.</summary>
    public RelevanceMode Mode { get; }

    /// <summary>How each instance's row is scaled on every level.</summary>
    public RelevanceNorm Norm { get; }

    /// <summary>
    /// Checks that <see cref="Values"/> sits exactly on the positives (stored non-zero entries) of <paramref name="y"/>,
    /// as training requires; lets a caller report a mismatch before training starts.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, or a row has a relevance off Y's positives or lacks one on them; the message names the row and the label.</exception>
    public void CheckAgainst(CsrMatrix y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (Values is not null) RelevanceChain.CheckPattern(Values, y.Binarize());
    }

    /// <summary>Mode, norm and a hash of the values: what a training checkpoint's fingerprint needs to tell two runs apart.</summary>
    public override string ToString() => $"{nameof(RelevanceWeights)} {{ Mode = {Mode}, Norm = {Norm}, Values = {_hash ??= Hash(Values)} }}";

    private static string Hash(CsrMatrix? m)
    {
        if (m is null) return "ones";
        var hash = new XxHash64();
        hash.Append(BitConverter.GetBytes(m.Rows));
        hash.Append(BitConverter.GetBytes(m.Cols));
        hash.Append(MemoryMarshal.AsBytes(m.Pointers));
        hash.Append(MemoryMarshal.AsBytes(m.Indices));
        hash.Append(MemoryMarshal.AsBytes(m.Values));
        return $"xxh64:{hash.GetCurrentHashAsUInt64():x16}";
    }
}
