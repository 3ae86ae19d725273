using System.Globalization;
using System.Runtime.CompilerServices;

namespace XmrEngine.Inference;

/// <summary>
/// How beam search turns a raw linear score into a node score and chains it with the parent's
/// score, exactly as PECOS defines its post-processors:
/// <list type="table">
/// <item><term>noop</term><description>transform v, combine by keeping the child's score (the parent's is ignored)</description></item>
/// <item><term>sigmoid</term><description>1 / (1 + e^-v), combined by multiplication</description></item>
/// <item><term>log-sigmoid</term><description>-log(1 + e^-v), combined by addition</description></item>
/// <item><term>l{p}-hinge</term><description>exp(-max(0, 1 - v)^p), combined by multiplication (l3-hinge is the default)</description></item>
/// <item><term>log-l{p}-hinge</term><description>-max(0, 1 - v)^p, combined by addition</description></item>
/// </list>
/// The top level of the tree is never combined (PECOS starts from the root without a previous score),
/// so the combiner only runs from the second level on. Instances are immutable and thread-safe.
/// </summary>
public sealed class PostProcessor : IEquatable<PostProcessor>
{
    private enum Kind : byte { Noop, Sigmoid, LogSigmoid, LpHinge, LogLpHinge }

    private readonly Kind _kind;
    private readonly int _p;

    /// <summary>PECOS's name of this post-processor, e.g. <c>l3-hinge</c>.</summary>
    public string Name { get; }

    /// <summary>True when scores are chained by addition (the log-domain post-processors).</summary>
    public bool CombinesByAddition => _kind is Kind.LogSigmoid or Kind.LogLpHinge;

    /// <summary>Identity transform; a child's score replaces its parent's.</summary>
    public static PostProcessor Noop { get; } = new(Kind.Noop, 0, "noop");

    /// <summary>Logistic transform chained by multiplication.</summary>
    public static PostProcessor Sigmoid { get; } = new(Kind.Sigmoid, 0, "sigmoid");

    /// <summary>Log-logistic transform chained by addition.</summary>
    public static PostProcessor LogSigmoid { get; } = new(Kind.LogSigmoid, 0, "log-sigmoid");

    /// <summary>PECOS's default: exp(-max(0, 1 - v)^3), chained by multiplication.</summary>
    public static PostProcessor L3Hinge { get; } = new(Kind.LpHinge, 3, "l3-hinge");

    private PostProcessor(Kind kind, int p, string name)
    {
        _kind = kind;
        _p = p;
        Name = name;
    }

    /// <summary>exp(-max(0, 1 - v)^p), chained by multiplication.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not positive.</exception>
    public static PostProcessor LpHinge(int p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        return p == 3 ? L3Hinge : new PostProcessor(Kind.LpHinge, p, $"l{p}-hinge");
    }

    /// <summary>-max(0, 1 - v)^p, chained by addition.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not positive.</exception>
    public static PostProcessor LogLpHinge(int p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        return new PostProcessor(Kind.LogLpHinge, p, $"log-l{p}-hinge");
    }

    /// <summary>
    /// Parses a PECOS post-processor name: <c>noop</c>, <c>sigmoid</c>, <c>log-sigmoid</c>,
    /// <c>l{p}-hinge</c> or <c>log-l{p}-hinge</c> with a positive integer p.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of these; the message lists the valid forms.</exception>
    public static PostProcessor Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryParse(name, out var result)) return result;
        throw new ArgumentException(
            $"Unknown post-processor '{name}'. Valid: noop, sigmoid, log-sigmoid, l<p>-hinge, log-l<p>-hinge (p a positive integer, e.g. l3-hinge).",
            nameof(name));
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PostProcessor? result)
    {
        result = null;
        if (name is null) return false;
        switch (name)
        {
            case "noop": result = Noop; return true;
            case "sigmoid": result = Sigmoid; return true;
            case "log-sigmoid": result = LogSigmoid; return true;
        }
        bool log = name.StartsWith("log-l", StringComparison.Ordinal);
        bool plain = !log && name.StartsWith('l');
        if ((!log && !plain) || !name.EndsWith("-hinge", StringComparison.Ordinal)) return false;
        int start = log ? 5 : 1;
        int length = name.Length - start - "-hinge".Length;
        if (length <= 0) return false;
        var digits = name.AsSpan(start, length);
        foreach (char c in digits) if (c is < '0' or > '9') return false;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p <= 0) return false;
        result = log ? LogLpHinge(p) : LpHinge(p);
        return true;
    }

    /// <summary>Turns a raw score (the linear model's output) into a node score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Transform(float v)
    {
        switch (_kind)
        {
            case Kind.Noop: return v;
            case Kind.Sigmoid: return 1f / (1f + MathF.Exp(-v));
            case Kind.LogSigmoid: return LogSigmoidOf(v);
            case Kind.LpHinge: return MathF.Exp(-HingePower(v));
            default: return -HingePower(v);
        }
    }

    /// <summary>Chains a child's transformed score with its parent's combined score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Combine(float child, float parent) => _kind switch
    {
        Kind.Noop => child,
        Kind.LogSigmoid or Kind.LogLpHinge => child + parent,
        _ => child * parent,
    };

    /// <summary>Transforms every raw score in place.</summary>
    public void TransformInPlace(Span<float> scores)
    {
        for (int i = 0; i < scores.Length; i++) scores[i] = Transform(scores[i]);
    }

    /// <summary>
    /// log(1 / (1 + e^-v)) in a form that stays finite for very negative v (the naive form overflows
    /// e^-v to infinity below about -88 in single precision); equal to PECOS's value wherever that is finite.
    /// </summary>
    private static float LogSigmoidOf(float v) =>
        v >= 0f ? (float)-Math.Log(1.0 + Math.Exp(-v)) : (float)(v - Math.Log(1.0 + Math.Exp(v)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float HingePower(float v)
    {
        float z = MathF.Max(0f, 1f - v);
        return _p switch
        {
            1 => z,
            2 => z * z,
            3 => z * z * z,
            4 => (z * z) * (z * z),
            _ => MathF.Pow(z, _p),
        };
    }

    /// <inheritdoc />
    public bool Equals(PostProcessor? other) => other is not null && other._kind == _kind && other._p == _p;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PostProcessor);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_kind, _p);

    /// <inheritdoc />
    public override string ToString() => Name;
}
