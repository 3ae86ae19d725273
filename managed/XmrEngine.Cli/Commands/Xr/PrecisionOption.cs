using System.CommandLine;
using XmrEngine.Models;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>The <c>--precision</c> flag of <c>xmr train</c> and <c>xmr quantize</c>: how the model file stores its weights.</summary>
internal static class PrecisionOption
{
    /// <summary>The flag; <paramref name="allowFloat32"/> false for quantize, whose whole point is a smaller precision.</summary>
    public static Option<string> Create(bool allowFloat32)
    {
        var option = new Option<string>("--precision")
        {
            Description = allowFloat32
                ? "How the model file stores its weights: f32 (exact, the default), f16 (IEEE half: 2 bytes a weight, relative error <= 2^-11) or i8 (1 byte a weight with a scale max|w|/127 per feature and tree node: error <= max|w|/254 of those weights). Quantised files are scored directly by the managed kernels."
                : "f16 (IEEE half: 2 bytes a weight, relative error <= 2^-11) or i8 (1 byte a weight with a scale max|w|/127 per feature and tree node: error <= max|w|/254 of those weights).",
            Required = !allowFloat32,
        };
        if (allowFloat32) option.DefaultValueFactory = _ => "f32";
        option.AcceptOnlyFromAmong(allowFloat32 ? ["f32", "f16", "i8"] : ["f16", "i8"]);
        return option;
    }

    public static WeightPrecision Parse(string value) => value switch
    {
        "f32" => WeightPrecision.Float32,
        "f16" => WeightPrecision.Float16,
        "i8" => WeightPrecision.Int8,
        _ => throw new ArgumentException($"--precision {value}: expected f32, f16 or i8."),
    };

    /// <summary>The flag's spelling of <paramref name="precision"/>.</summary>
    public static string Name(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Float16 => "f16",
        WeightPrecision.Int8 => "i8",
        _ => "f32",
    };
}
