namespace XmrEngine.Common;

/// <summary>Throw helpers for option records: every message names the option and the rejected value.</summary>
internal static class OptionGuard
{
    public static int AtLeast(int value, int min, string record, string field) =>
        value >= min ? value : throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be at least {min}; got {value}.");

    public static double Positive(double value, string record, string field) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be a finite positive number; got {value}.");

    public static float NonNegative(float value, string record, string field) =>
        float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be a finite non-negative number; got {value}.");

    public static int PowerOfTwo(int value, string record, string field) =>
        value >= 2 && (value & (value - 1)) == 0
            ? value
            : throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be a power of two and at least 2; got {value}.");

    public static T NotNull<T>(T? value, string record, string field) where T : class =>
        value ?? throw new ArgumentNullException(field, $"{record}.{field} must not be null.");

    public static TEnum Defined<TEnum>(TEnum value, string record, string field) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} has no member with value {value}.");
}
