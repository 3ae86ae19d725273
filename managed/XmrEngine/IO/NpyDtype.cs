namespace XmrEngine.IO;

/// <summary>The kind of a NumPy scalar type, as written in the second character of a descr string.</summary>
internal enum NpyKind
{
    /// <summary>'b': boolean, one byte.</summary>
    Bool,

    /// <summary>'i': signed integer.</summary>
    SignedInt,

    /// <summary>'u': unsigned integer.</summary>
    UnsignedInt,

    /// <summary>'f': IEEE floating point.</summary>
    Float,

    /// <summary>'S': fixed-length byte string.</summary>
    Bytes,

    /// <summary>'U': fixed-length UTF-32 string.</summary>
    Unicode,
}

/// <summary>
/// A simple (non-structured) NumPy dtype parsed from a descr such as <c>&lt;f4</c>, <c>|b1</c>, <c>|S3</c>
/// or <c>&lt;U3</c>. Only little-endian (or byte-order-free) types are accepted.
/// </summary>
/// <param name="Descr">The descr text as found in the header.</param>
/// <param name="Kind">The scalar kind.</param>
/// <param name="ItemSize">Bytes per element (for 'U', 4 bytes per character).</param>
internal readonly record struct NpyDtype(string Descr, NpyKind Kind, int ItemSize)
{
    public static readonly NpyDtype Float32 = new("<f4", NpyKind.Float, 4);
    public static readonly NpyDtype Int32 = new("<i4", NpyKind.SignedInt, 4);
    public static readonly NpyDtype Int64 = new("<i8", NpyKind.SignedInt, 8);

    /// <summary>Parses a descr; returns an error description instead of throwing so callers can add location.</summary>
    public static bool TryParse(string descr, out NpyDtype dtype, out string error)
    {
        dtype = default;
        error = "";
        if (descr.Length < 3)
        {
            error = $"dtype '{descr}' is not a simple NumPy type string.";
            return false;
        }
        char order = descr[0];
        char kindChar = descr[1];
        if (!int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) || size <= 0)
        {
            error = $"dtype '{descr}' has no valid size.";
            return false;
        }
        NpyKind kind;
        int itemSize = size;
        switch (kindChar)
        {
            case 'b' when size == 1: kind = NpyKind.Bool; break;
            case 'i' when size is 1 or 2 or 4 or 8: kind = NpyKind.SignedInt; break;
            case 'u' when size is 1 or 2 or 4 or 8: kind = NpyKind.UnsignedInt; break;
            case 'f' when size is 2 or 4 or 8: kind = NpyKind.Float; break;
            case 'S': kind = NpyKind.Bytes; break;
            case 'U': kind = NpyKind.Unicode; itemSize = checked(size * 4); break;
            default:
                error = $"dtype '{descr}' is not supported (supported: bool, int8-64, uint8-64, float16-64, S, U).";
                return false;
        }
        bool multiByteUnit = kind == NpyKind.Unicode || (kind != NpyKind.Bytes && size > 1);
        bool littleEndian = order == '<' || order == '|' || (order == '=' && BitConverter.IsLittleEndian);
        if (order is not ('<' or '>' or '|' or '='))
        {
            error = $"dtype '{descr}' has an unknown byte-order mark '{order}'.";
            return false;
        }
        if (multiByteUnit && !littleEndian)
        {
            error = $"dtype '{descr}' is big-endian; only little-endian data is supported.";
            return false;
        }
        dtype = new NpyDtype(descr, kind, itemSize);
        return true;
    }

    /// <summary>A readable name for error messages.</summary>
    public string Name => Kind switch
    {
        NpyKind.Bool => "bool",
        NpyKind.SignedInt => $"int{ItemSize * 8}",
        NpyKind.UnsignedInt => $"uint{ItemSize * 8}",
        NpyKind.Float => $"float{ItemSize * 8}",
        NpyKind.Bytes => $"bytes{ItemSize}",
        _ => $"str{ItemSize / 4}",
    };
}
